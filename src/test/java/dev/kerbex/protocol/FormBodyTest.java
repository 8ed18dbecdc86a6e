package dev.kerbex.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FormBodyTest {

    private static Map<String, List<String>> decode(String body) {
        return FormBody.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertMalformed(byte[] body, String description) {
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> FormBody.decode(body));
        assertThat(e).as("decode should have failed").isNotNull();
        assertThat(e.code()).isEqualTo(OAuthErrorCode.INVALID_REQUEST);
        assertThat(e.description()).isEqualTo(description);
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange",
                        Map.of("grant_type", List.of("urn:ietf:params:oauth:grant-type:token-exchange"))),
                Arguments.of("scope=read+write", Map.of("scope", List.of("read write"))),
                Arguments.of("scope=read%20write%2Badmin", Map.of("scope", List.of("read write+admin"))),
                Arguments.of("a=1&b=2", Map.of("a", List.of("1"), "b", List.of("2"))),
                Arguments.of("audience=x&audience=y&audience=x", Map.of("audience", List.of("x", "y", "x"))),
                Arguments.of("a=", Map.of("a", List.of(""))),
                Arguments.of("flag", Map.of("flag", List.of(""))),
                Arguments.of("a=1&&b=2&", Map.of("a", List.of("1"), "b", List.of("2"))),
                Arguments.of("a=b=c", Map.of("a", List.of("b=c"))),
                Arguments.of("a%3Db=c", Map.of("a=b", List.of("c"))),
                Arguments.of("k=%C3%A9t%C3%A9", Map.of("k", List.of("\u00e9t\u00e9"))),
                Arguments.of("sub%5Fject=%2F%26%3D", Map.of("sub_ject", List.of("/&="))),
                Arguments.of("=v", Map.of("", List.of("v"))));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void decodeWhenWellFormedThenParametersDecoded(String body, Map<String, List<String>> expected) {
        assertThat(decode(body)).isEqualTo(expected);
    }

    @Test
    void decodeKeepsParameterOrderAndRepeats() {
        Map<String, List<String>> params = decode("c=1&a=2&c=3&b=4");

        assertThat(params.keySet()).containsExactly("c", "a", "b");
        assertThat(params.get("c")).containsExactly("1", "3");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\r\n", "&", "&&&" })
    void decodeWhenEmptyBodyThenNoParameters(String body) {
        assertThat(decode(body)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=%", "a=%4", "a=%zz", "a=100%", "%=v", "a%G1=v", "a=ok&b=%-1" })
    void decodeWhenMalformedEscapeThenInvalidRequest(String body) {
        assertMalformed(body.getBytes(StandardCharsets.UTF_8), "request body: malformed form encoding");
    }

    @Test
    void decodeWhenBodyExactlyLimitThenAccepted() {
        String prefix = "subject_token=";
        String body = prefix + "A".repeat(FormBody.MAX_BYTES - prefix.length());

        Map<String, List<String>> params = decode(body);

        assertThat(body).hasSize(65536);
        assertThat(params.get("subject_token").get(0)).hasSize(65536 - prefix.length());
    }

    @Test
    void decodeWhenBodyOverLimitThenInvalidRequest() {
        assertMalformed(("a=" + "A".repeat(FormBody.MAX_BYTES - 1)).getBytes(StandardCharsets.UTF_8),
                "request body exceeds 65536 bytes");
    }

    @Test
    void decodeWhenBodyOverLimitThenSizeIsCheckedBeforeEncoding() {
        byte[] body = ("a=%zz" + "A".repeat(FormBody.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);

        assertMalformed(body, "request body exceeds 65536 bytes");
    }

    @Test
    void maxBytesIs64KiB() {
        assertThat(FormBody.MAX_BYTES).isEqualTo(65536);
    }

    @Test
    void decodeThenTokenRequestParsesEncodedForm() {
        TokenRequest r = TokenRequest.parse(decode("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token=YII%2B%2F&subject_token_type=urn%3Akerbex%3Atoken-type%3Akerberos-ap-req"
                + "&scope=read+write&audience=a&audience=b"));

        assertThat(r.subjectToken()).isEqualTo("YII+/");
        assertThat(r.requestedScopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(r.audiences()).containsExactly("a", "b");
    }

    @Test
    void decodeWhenUnencodedPlusInBase64TokenThenItBecomesSpace() {
        // Why clients must percent-encode standard base64: '+' is a space in this media type.
        assertThat(decode("subject_token=YII+/").get("subject_token")).containsExactly("YII /");
    }
}
