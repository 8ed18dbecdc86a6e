package dev.kerbex.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kerby.kerberos.kerb.type.base.EncryptedData;
import org.apache.kerby.kerberos.kerb.type.base.EncryptionType;
import org.apache.kerby.kerberos.kerb.type.base.NameType;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.apache.kerby.kerberos.kerb.type.ticket.Ticket;
import org.junit.jupiter.api.Test;

/**
 * The bytes of the inverse path's ccache, read back field by field after MIT's "Credential cache file format"
 * (version 4). That MIT's own tools read it is checked by S4uClientIT and InverseExchangeIT ({@code klist -c}).
 */
class TicketEncodingsTest {
    static final Instant AUTH = Instant.parse("2026-12-02T09:00:00Z");
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void ccacheWhenWrittenThenVersion4WithTheKdcTimeOffsetHeaderAndOneEnctypePerKeyblock() throws IOException {
        ServiceTicket t = new ServiceTicket("alice@S4U.TEST", "postgres/db.s4u.test@S4U.TEST", ticketDer(),
                EncryptionType.AES256_CTS_HMAC_SHA1_96.getValue(), KEY, flags(1, 8), AUTH, AUTH, AUTH.plusSeconds(1800),
                null);
        byte[] bytes = TicketEncodings.ccache(t);

        assertThat(HexFormat.of().formatHex(bytes, 0, 16)).isEqualTo("0504" + "000c" + "0001" + "0008" + "00000000" + "00000000");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 16, bytes.length - 16));
        assertThat(principal(in)).isEqualTo("1 alice @S4U.TEST");            // default principal
        assertThat(principal(in)).isEqualTo("1 alice @S4U.TEST");            // the credential's client
        assertThat(principal(in)).isEqualTo("2 postgres/db.s4u.test @S4U.TEST");
        assertThat(in.readUnsignedShort()).isEqualTo(18);                      // keyblock: the enctype once (v3: twice)
        assertThat(counted(in)).isEqualTo(KEY);
        assertThat(in.readInt()).isEqualTo((int) AUTH.getEpochSecond());       // authtime
        assertThat(in.readInt()).isEqualTo((int) AUTH.getEpochSecond());       // starttime
        assertThat(in.readInt()).isEqualTo((int) AUTH.plusSeconds(1800).getEpochSecond());
        assertThat(in.readInt()).isZero();                                     // renew_till
        assertThat(in.readUnsignedByte()).isZero();                            // is_skey
        assertThat(in.readInt()).isEqualTo((1 << 30) | (1 << 23));            // forwardable, renewable
        assertThat(in.readInt()).isZero();                                     // addresses
        assertThat(in.readInt()).isZero();                                     // authdata
        assertThat(counted(in)).isEqualTo(ticketDer());
        assertThat(counted(in)).isEmpty();                                     // second ticket
        assertThat(in.available()).isZero();
    }

    private static String principal(DataInputStream in) throws IOException {
        int type = in.readInt();
        int count = in.readInt();
        String realm = new String(counted(in), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new String(counted(in), StandardCharsets.UTF_8));
        }
        return type + " " + String.join("/", parts) + " @" + realm;
    }

    private static byte[] counted(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    private static boolean[] flags(int... set) {
        boolean[] bits = new boolean[32];
        for (int i : set) {
            bits[i] = true;
        }
        return bits;
    }

    private static byte[] ticketDer() throws IOException {
        Ticket ticket = new Ticket();
        ticket.setRealm("S4U.TEST");
        PrincipalName sname = new PrincipalName("postgres/db.s4u.test", NameType.NT_SRV_INST);
        ticket.setSname(sname);
        EncryptedData enc = new EncryptedData();
        enc.setEType(EncryptionType.AES256_CTS_HMAC_SHA1_96);
        enc.setKvno(2);
        enc.setCipher(new byte[] {1, 2, 3, 4});
        ticket.setEncryptedEncPart(enc);
        return ticket.encode();
    }
}
