package dev.kerbex.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;

/**
 * Issue 10 fuzzing: the token endpoint's form parser and request reader. The contract: any body either parses or is
 * refused with an {@link OAuthException} carrying an error code and a description; nothing else escapes (an
 * unchecked exception here would be a 500). Without {@code JAZZER_FUZZ} this replays the seed corpus in
 * {@code src/test/resources/dev/kerbex/protocol/FormFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class FormFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void formBodyThenTokenRequest(byte[] body) {
        Map<String, List<String>> form;
        try {
            form = FormBody.decode(body);
        } catch (OAuthException e) {
            assertRefusal(e);
            return;
        }
        try {
            TokenRequest request = TokenRequest.parse(form);
            assertThat(request.grantType()).isEqualTo(TokenRequest.TOKEN_EXCHANGE_GRANT);
            request.scopeString();
        } catch (OAuthException e) {
            assertRefusal(e);
        }
    }

    static void assertRefusal(OAuthException e) {
        assertThat(e.code()).isNotNull();
        assertThat(e.description()).isNotBlank();
    }
}
