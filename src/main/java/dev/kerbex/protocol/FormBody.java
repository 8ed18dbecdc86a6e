package dev.kerbex.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes an {@code application/x-www-form-urlencoded} body into parameter lists, keeping repeats visible. */
public final class FormBody {
    /** SPEC §3: a token request body is at most 64 KiB. */
    public static final int MAX_BYTES = 64 * 1024;
    public static final String NOT_FORM = "request body: must be application/x-www-form-urlencoded";

    private FormBody() {
    }

    public static Map<String, List<String>> decode(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "request body exceeds 65536 bytes");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return params;
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = unescape(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    private static String unescape(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthErrorCode.INVALID_REQUEST, "request body: malformed form encoding");
        }
    }
}
