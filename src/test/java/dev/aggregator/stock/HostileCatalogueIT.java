package dev.aggregator.stock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import testvendors.HostileVendor;
import testvendors.HostileVendor.Answer;
import testvendors.HostileVendor.Catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 25, items 1, 5 and 6: a vendor (an HTTP server of its own) whose answers are odd but real. Each
 * hostile product costs that product alone (dead-lettered with a short reason), its neighbours are stored and
 * stay listed, and the vendor's poll goes on succeeding.
 */
class HostileCatalogueIT extends AggregatorTestSupport {

    /** How long a letter's reason may be: a line an operator reads, never the value written out. */
    private static final int SHORT = 300;

    private HostileVendor vendor;
    private Catalogue huge;
    private Catalogue tiny;
    private Catalogue nul;
    private Catalogue deep;
    private Catalogue deepArray;
    private Catalogue latin;
    private Catalogue refused;
    /** Every stock dead letter received so far (all vendors share the queue; each test takes its vendor's). */
    private final List<Message> letters = new CopyOnWriteArrayList<>();

    @Override
    protected void settings(Properties p) {
        try {
            vendor = new HostileVendor();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        huge = vendor.catalogue("huge", Answer.HUGE_EXPONENT, 10, true);
        tiny = vendor.catalogue("tiny", Answer.TINY_EXPONENT, 10, false);
        // batches of 100 products: the issue saw 100 of 600 stored
        nul = vendor.catalogue("nul", Answer.NUL_NAME, 600, false);
        deep = vendor.catalogue("deep", Answer.DEEP_RECORD, 10, true);
        deepArray = vendor.catalogue("deeparray", Answer.DEEP_RECORD_IN_ARRAY, 10, true);
        latin = vendor.catalogue("latin", Answer.LATIN1, 10, true);
        refused = vendor.catalogue("refused", Answer.REFUSED_BY_DATABASE, 10, false);
        List<Catalogue> all = List.of(huge, tiny, nul, deep, deepArray, latin, refused);
        for (int i = 0; i < all.size(); i++) {
            p.setProperty("VENDOR_URL_" + (i + 1), all.get(i).url());
        }
        p.setProperty("DEMO_VENDORS", "false");
        p.setProperty("VENDOR_POLL_PERIOD", "1s");
        p.setProperty("aggregator.stock.batch-size", "100");
    }

    @AfterAll
    void closeVendor() {
        vendor.close();
    }

    /** Item 1: "1e999999999" as a price and as a stock: two short rejections, not a heap filled with digits. */
    @Test
    void aHugeExponentIsAShortRejectionOfItsProductAlone() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> productCount("huge") == 8);
        assertThat(ids("huge")).doesNotContain("5", "6");
        Map<String, String> reasons = reasonsByProduct("huge", 2);
        assertThat(reasons.get("5")).startsWith("price").contains("1e999999999").hasSizeLessThan(SHORT);
        assertThat(reasons.get("6")).startsWith("stock").contains("1e999999999").hasSizeLessThan(SHORT);
        assertPollsSucceed("huge", huge);
    }

    /**
     * Item 5: "1e-999999999" (setScale threw ArithmeticException, which lost the whole batch and then delisted
     * it): the two products are dead-lettered, the other eight stay stored and listed.
     */
    @Test
    void aTinyExponentCostsItsProductAloneAndDelistsNothingElse() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> productCount("tiny") == 10);
        tiny.spoil();
        // the two spoiled products are delisted one poll after the first poll that could not store them
        await().atMost(Duration.ofSeconds(60)).until(() -> delisted("tiny").containsAll(List.of("5", "6")));
        awaitPolls(tiny, 2);
        assertThat(delisted("tiny")).containsExactlyInAnyOrder("5", "6");
        assertThat(listed("tiny")).containsExactlyInAnyOrder("1", "2", "3", "4", "7", "8", "9", "10");
        Map<String, String> reasons = reasonsByProduct("tiny", 2);
        assertThat(reasons.get("5")).startsWith("price").hasSizeLessThan(SHORT);
        assertThat(reasons.get("6")).startsWith("stock").hasSizeLessThan(SHORT);
        assertPollsSucceed("tiny", tiny);
    }

    /**
     * Item 5: a NUL in one name (PostgreSQL's text and jsonb refuse it) lost its batch of 100, which the next
     * poll delisted: now only that product is dead-lettered; the other 599 stay stored and listed.
     */
    @Test
    void aNulInANameCostsItsProductAloneAndDelistsNothingElse() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> productCount("nul") == 600);
        nul.spoil();
        await().atMost(Duration.ofSeconds(60)).until(() -> delisted("nul").contains("5"));
        awaitPolls(nul, 2);
        assertThat(delisted("nul")).containsExactly("5");
        assertThat(listed("nul")).hasSize(599);
        assertThat(reasonsByProduct("nul", 1).get("5")).contains("NUL").hasSizeLessThan(SHORT);
        assertPollsSucceed("nul", nul);
    }

    /**
     * Item 5, at any step up to the upsert: a row PostgreSQL refuses for a reason no rule of the service
     * foresaw (this class's own CHECK constraint stands in for one) cost its whole message, which the next poll
     * delisted; now the message's rows are upserted one by one and only the refused one is dead-lettered, with
     * PostgreSQL's reason.
     */
    @Test
    void aRowPostgresRefusesCostsThatRowAlone() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> productCount("refused") == 10);
        jdbc().execute("ALTER TABLE products ADD CONSTRAINT it_refuses_one CHECK (name <> '" + HostileVendor.REFUSED_NAME + "')");
        refused.spoil();
        await().atMost(Duration.ofSeconds(60)).until(() -> delisted("refused").contains("5"));
        awaitPolls(refused, 2);
        assertThat(delisted("refused")).containsExactly("5");
        assertThat(listed("refused")).hasSize(9);
        assertThat(reasonsByProduct("refused", 1).get("5")).startsWith("PostgreSQL refused").contains("it_refuses_one")
                .hasSizeLessThan(SHORT);
        assertPollsSucceed("refused", refused);
    }

    /** Item 6: a record nested 1,500 levels deep, in a page and in a bare array: one rejected record each. */
    @Test
    void aRecordNestedTooDeepIsOneRejectedRecord() throws Exception {
        for (String name : List.of("deep", "deeparray")) {
            await(name).atMost(Duration.ofSeconds(60)).until(() -> productCount(name) == 9);
            assertThat(ids(name)).as(name).doesNotContain("5");
            assertThat(reasonsByProduct(name, 1).get("5")).as(name).contains("nested more than").hasSizeLessThan(SHORT);
        }
        assertPollsSucceed("deep", deep);
        assertPollsSucceed("deeparray", deepArray);
    }

    /** Item 6: an answer in ISO-8859-1, as its Content-Type says, is read by that charset: every name exact. */
    @Test
    void aLatin1AnswerIsDecodedByItsCharset() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> productCount("latin") == 10);
        for (int i = 1; i <= 10; i++) {
            assertThat(jdbc().queryForObject("SELECT name FROM products WHERE vendor = 'latin' AND product_id = ?",
                    String.class, String.valueOf(i))).isEqualTo(latin.name(i));
        }
        assertPollsSucceed("latin", latin);
    }

    /** The vendor's polls go on succeeding: two more complete ones, and no error recorded since. */
    private void assertPollsSucceed(String name, Catalogue catalogue) {
        awaitPolls(catalogue, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> status = jdbc().queryForMap(
                    "SELECT last_success_at, consecutive_errors, last_error FROM vendor_status WHERE vendor = ?", name);
            assertThat(status.get("last_success_at")).as(name + ": %s", status).isNotNull();
            assertThat(status.get("consecutive_errors")).as(name + ": %s", status).isEqualTo(0);
        });
    }

    /** Waits for this many more polls of the catalogue to have asked for their first page. */
    private static void awaitPolls(Catalogue catalogue, int more) {
        int now = catalogue.polls();
        await().atMost(Duration.ofSeconds(30)).until(() -> catalogue.polls() >= now + more);
    }

    /**
     * The reason of the first letter for each product of the vendor, once letters for this many products
     * have come (the poller sends the same products again every period).
     */
    private Map<String, String> reasonsByProduct(String name, int products) {
        Map<String, String> reasons = new java.util.TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Message m;
            while ((m = rabbit().receive(QueueTopology.FROM_EXTERNAL_DLQ, 200)) != null) {
                letters.add(m);
            }
            for (Message letter : letters) {
                JsonNode body = JSON.readTree(letter.getBody());
                if (name.equals(body.path("vendor").asText())) {
                    reasons.putIfAbsent(body.at("/product/id").asText(),
                            String.valueOf(letter.getMessageProperties().getHeaders().get("x-failure-reason")));
                }
            }
            return reasons.size() >= products;
        });
        return reasons;
    }

    private List<String> ids(String vendor) {
        return jdbc().queryForList("SELECT product_id FROM products WHERE vendor = ? ORDER BY 1", String.class, vendor);
    }

    private List<String> listed(String vendor) {
        return jdbc().queryForList("SELECT product_id FROM products WHERE vendor = ? AND delisted_at IS NULL AND vendor_stock > 0",
                String.class, vendor);
    }

    private List<String> delisted(String vendor) {
        return jdbc().queryForList("SELECT product_id FROM products WHERE vendor = ? AND delisted_at IS NOT NULL", String.class, vendor);
    }
}
