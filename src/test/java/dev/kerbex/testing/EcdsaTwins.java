package dev.kerbex.testing;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** The (r, n − s) twin of an ES256/384/512 compact JWS: another valid signature of the same header and claims. */
public final class EcdsaTwins {
    private EcdsaTwins() {
    }

    public static String twin(String compactJws) {
        int dot = compactJws.lastIndexOf('.');
        byte[] sig = Base64.getUrlDecoder().decode(compactJws.substring(dot + 1));
        int half = sig.length / 2;
        BigInteger n = order(half);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, half, sig.length));
        byte[] twinS = n.subtract(s).toByteArray();
        byte[] out = sig.clone();
        Arrays.fill(out, half, out.length, (byte) 0);
        int len = Math.min(twinS.length, half); // toByteArray may carry a leading sign byte
        System.arraycopy(twinS, twinS.length - len, out, out.length - len, len);
        return compactJws.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static BigInteger order(int fieldBytes) {
        String curve = switch (fieldBytes) {
            case 32 -> "secp256r1";
            case 48 -> "secp384r1";
            case 66 -> "secp521r1";
            default -> throw new IllegalArgumentException("not an ES256/384/512 signature");
        };
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(curve));
            return p.getParameterSpec(ECParameterSpec.class).getOrder();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
