package dev.aggregator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoVendorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void vendorAPagesLikeDummyjson() throws Exception {
        DemoVendor a = DemoVendor.load("vendorA", "demo/vendorA-products.json", JSON, 0);
        JsonNode first = JSON.readTree(a.page(null, null));
        assertThat(first.get("products")).hasSize(30);
        assertThat(first.get("total").asInt()).isEqualTo(a.size()).isGreaterThanOrEqualTo(50);
        assertThat(first.at("/products/0/title").asText()).isEqualTo("Essence Mascara Lash Princess");
        assertThat(first.at("/products/0/price").asDouble()).isEqualTo(9.99);
        JsonNode last = JSON.readTree(a.page("30", "45"));
        assertThat(last.get("products")).hasSize(a.size() - 45);
        assertThat(last.get("skip").asInt()).isEqualTo(45);
        assertThatThrownBy(() -> a.page("x", null)).isInstanceOf(ProblemException.class);
    }

    @Test
    void vendorBIsABareArrayInItsOwnDialect() throws Exception {
        DemoVendor b = DemoVendor.load("vendorB", "demo/vendorB-products.json", JSON, 0);
        JsonNode all = JSON.readTree(b.all());
        assertThat(all.isArray()).isTrue();
        assertThat(all.size()).isGreaterThanOrEqualTo(50);
        assertThat(all.get(0).has("sku")).isTrue();
        assertThat(all.get(0).has("inventory")).isTrue();
        assertThat(all.get(0).has("cost")).isTrue();
    }

    @Test
    void sizedCatalogueRepeatsWithNewIds() throws Exception {
        DemoVendor a = DemoVendor.load("vendorA", "demo/vendorA-products.json", JSON, 250);
        assertThat(a.size()).isEqualTo(250);
        JsonNode page = JSON.readTree(a.page("1", "249"));
        assertThat(page.at("/products/0/id").asInt()).isEqualTo(250);
        int listed = page.at("/products/0/stock").asInt();
        assertThat(a.confirm("250", "order-250", "{\"orderId\":\"order-250\",\"quantity\":1}").status()).isEqualTo(200);
        assertThat(JSON.readTree(a.page("1", "249")).at("/products/0/stock").asInt()).isEqualTo(listed - 1);
        JsonNode all = JSON.readTree(a.all());
        assertThat(all.size()).isEqualTo(250);
        assertThat(all.get(249).get("id").asInt()).isEqualTo(250);
        assertThat(all.get(249).get("stock").asInt()).isEqualTo(listed - 1);
    }

    @Test
    void stockSettingGivesEveryProductThatStock() {
        DemoVendor b = DemoVendor.load("vendorB", "demo/vendorB-products.json", JSON, 120, 5000);
        assertThat(b.stockOf("VB-1001")).isEqualTo(5000);
        assertThat(b.stockOf("VB-1120")).isEqualTo(5000);
        DemoVendor shipped = DemoVendor.load("vendorB", "demo/vendorB-products.json", JSON, 0);
        assertThat(shipped.stockOf("VB-1001")).isNotEqualTo(5000);
    }

    @Test
    void requestTimesKeepOnlyTheLatest() {
        DemoVendor a = DemoVendor.load("vendorA", "demo/vendorA-products.json", JSON, 0);
        for (int i = 0; i < 10_005; i++) {
            a.confirm("1", "key-" + i, "{\"orderId\":\"key-" + i + "\",\"quantity\":1}");
        }
        assertThat(a.orderRequests()).isEqualTo(10_005);
        assertThat(a.requestTimes()).hasSize(10_000);
    }

    @Test
    void ordersDecrementStockOncePerIdempotencyKey() {
        DemoVendor a = DemoVendor.load("vendorA", "demo/vendorA-products.json", JSON, 0);
        int before = a.stockOf("1");
        DemoVendor.Confirmation c1 = a.confirm("1", "order-1", "{\"orderId\":\"order-1\",\"quantity\":2}");
        DemoVendor.Confirmation again = a.confirm("1", "order-1", "{\"orderId\":\"order-1\",\"quantity\":2}");
        DemoVendor.Confirmation other = a.confirm("1", "order-2", "{\"orderId\":\"order-2\",\"quantity\":1}");
        assertThat(c1.status()).isEqualTo(200);
        assertThat(again).isSameAs(c1);
        assertThat(other.status()).isEqualTo(200);
        assertThat(a.stockOf("1")).isEqualTo(before - 3);
        assertThat(a.confirmedOrders()).isEqualTo(2);
        assertThat(a.confirm("nope", "order-3", "{\"orderId\":\"order-3\",\"quantity\":1}").status()).isEqualTo(404);
        assertThat(a.confirm("1", "order-4", "{\"orderId\":\"order-4\",\"quantity\":100000}").status()).isEqualTo(409);
        assertThatThrownBy(() -> a.confirm("1", null, "{\"orderId\":\"x\",\"quantity\":1}")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> a.confirm("1", "k", "{\"orderId\":\"x\",\"quantity\":0}")).isInstanceOf(ProblemException.class);
    }
}
