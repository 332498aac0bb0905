package dev.aggregator.api;

import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GET /products?updatedSince= checked before any statement runs: cursors, instants, limit, what cannot go with it. */
class ProductChangesTest {

    @Test
    void aCursorIsTakenBackForTheScopeItWasWrittenFor() {
        String everyVendor = new ChangeCursor("", 900, "vendorA", "7").encode();
        String ofB = ChangeCursor.start("vendorB", 901).encode();

        assertThat(ProductChanges.query(everyVendor, null, null, null, null))
                .isEqualTo(new ProductChanges.Query(null, 100, new ChangeCursor("", 900, "vendorA", "7"), "-infinity"));
        assertThat(ProductChanges.query(ofB, " vendorB ", "1000", "", " "))
                .isEqualTo(new ProductChanges.Query("vendorB", 1000, ChangeCursor.start("vendorB", 901), "-infinity"));

        assertBad(() -> ProductChanges.query(everyVendor, "vendorA", null, null, null), "updatedSince", "every vendor");
        assertBad(() -> ProductChanges.query(ofB, null, null, null, null), "updatedSince", "vendor 'vendorB'", "vendor=vendorB");
        assertBad(() -> ProductChanges.query(ofB, "vendorA", null, null, null), "updatedSince", "vendor 'vendorB'", "vendor 'vendorA'");
    }

    @Test
    void anInstantStartsFromTheFirstTransactionFilteredByItsTime() {
        assertThat(ProductChanges.query("2026-12-02T10:00:00Z", null, "5", null, null))
                .isEqualTo(new ProductChanges.Query(null, 5, ChangeCursor.start("", 0), "2026-12-02T10:00:00Z"));
        assertThat(ProductChanges.query("2026-12-02T11:00:00.123456+01:00", "vendorA", null, null, null))
                .isEqualTo(new ProductChanges.Query("vendorA", 100, ChangeCursor.start("vendorA", 0), "2026-12-02T10:00:00.123456Z"));
        // an unencoded '+' arrives as a space
        assertThat(ProductChanges.query("2026-12-02T11:00:00 01:00", null, null, null, null).since()).isEqualTo("2026-12-02T10:00:00Z");
        // older than anything the feed holds: every change
        assertThat(ProductChanges.query("1970-01-01T00:00:00Z", null, null, null, null).since()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void badValuesAre400sNamingTheirParameter() {
        assertBad(() -> ProductChanges.query("", null, null, null, null), "updatedSince is empty");
        assertBad(() -> ProductChanges.query("  ", null, null, null, null), "updatedSince is empty");
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00", null, null, null, null), "updatedSince", "offset");
        assertBad(() -> ProductChanges.query("2026-12-02", null, null, null, null), "updatedSince '2026-12-02'");
        assertBad(() -> ProductChanges.query("2026-13-02T10:00:00Z", null, null, null, null), "updatedSince");
        assertBad(() -> ProductChanges.query("yesterday", null, null, null, null), "updatedSince");
        assertBad(() -> ProductChanges.query("+12026-12-02T10:00:00Z", null, null, null, null), "updatedSince");
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00Z", null, "0", null, null), "limit");
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00Z", null, "1001", null, null), "limit");
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00Z", null, "ten", null, null), "limit");
        assertThat(ProductChanges.query("2026-12-02T10:00:00Z", null, null, "0", null).limit()).isEqualTo(100); // the REST DSL's default
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00Z", null, null, "1", null), "offset cannot be combined with updatedSince");
        assertBad(() -> ProductChanges.query("2026-12-02T10:00:00Z", null, null, null, "dmVuZG9yQQAy"),
                "cursor cannot be combined with updatedSince");
    }

    private static void assertBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.detail()).contains(mentions);
        });
    }
}
