package dev.aggregator.api;

import java.nio.ByteBuffer;
import java.util.Base64;

import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeCursorTest {

    @Test
    void roundTrips() {
        for (ChangeCursor c : new ChangeCursor[] {new ChangeCursor("", 7_654_321L, "vendorA", "2"),
                new ChangeCursor("vendorB", 1L << 40, "vendorB", "VB-1001"), ChangeCursor.start("", 0),
                ChangeCursor.start("fournisseur é", Long.MAX_VALUE), new ChangeCursor("v", 3, "v", "\uD83D\uDE00 id/with?&=")}) {
            String encoded = c.encode();
            assertThat(encoded).as(c.toString()).matches("A[A-Za-z0-9_-]+");
            assertThat(ChangeCursor.decode(encoded)).isEqualTo(c);
            assertThat(ChangeCursor.decode(" " + encoded + " ")).isEqualTo(c);
        }
        assertThat(ChangeCursor.start("", 5).isStart()).isTrue();
        assertThat(new ChangeCursor("", 5, "v", "1").isStart()).isFalse();
        // the layout is fixed: cursors handed out stay readable
        assertThat(new ChangeCursor("", 258, "v", "1").encode()).isEqualTo("AQAAAAAAAAECAHYAMQ");
    }

    @Test
    void anythingElseIsA400NamingUpdatedSince() {
        byte[] good = Base64.getUrlDecoder().decode(new ChangeCursor("", 258, "v", "1").encode());
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        byte[] negativeXid = good.clone();
        negativeXid[1] = (byte) 0x80;
        for (String bad : new String[] {"!!!", "abc", "A", "AQAAAAAAAAEC", b64(otherVersion), b64(negativeXid),
                b64(raw(1, "\0v\0")), // a vendor without an id
                b64(raw(1, "\0\0x")), // an id without a vendor
                b64(raw(1, "\0v")), // one separator short
                b64(raw(1, "\0v\0x\0y")), // one too many
                b64(raw(1, "\0v\0")) + "\u00e9", "A".repeat(3000),
                Base64.getUrlEncoder().encodeToString(concat(raw(1, "\0v\0"), new byte[] {(byte) 0xC3}))}) {
            assertThatThrownBy(() -> ChangeCursor.decode(bad)).as(bad).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(400);
                assertThat(p.detail()).startsWith("updatedSince ").contains("nextCursor");
            });
        }
    }

    private static byte[] raw(long xid, String rest) {
        return concat(ByteBuffer.allocate(9).put((byte) 1).putLong(xid).array(), rest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String b64(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
