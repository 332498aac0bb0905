package dev.aggregator.api;

import dev.aggregator.support.ConditionalAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/** The public REST API. The REST block only declares; each verb hands over to a direct: route. */
public class ApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .bindingMode(RestBindingMode.off)
                .apiContextPath("/openapi.json")
                // The document is rendered per request from the X-Forwarded-* headers (right behind a proxy),
                // instead of once while Camel starts: 0.2 s of the main thread in a start-up profile.
                .useXForwardHeaders(true)
                .apiProperty("api.title", "Distributed Order Aggregator")
                .apiProperty("api.version", "1.0");

        rest("/").description("Service")
                .get().id("rest-welcome").description("Welcome message").produces("application/json")
                    .to("direct:welcome");

        rest("/health").description("Service health")
                .get().id("rest-health").description("Database and broker state, uptime; 503 when either is down")
                    .produces("application/json")
                    .responseMessage().code(200).message("{status: UP, database, broker, uptime}").endResponseMessage()
                    .responseMessage().code(503).message("{status: DOWN, …} naming what is down").endResponseMessage()
                    .to("direct:health")
                .get("/live").id("rest-health-live").description("Liveness (Camel's context check): restart the process if not 200")
                    .produces("application/json")
                    .responseMessage().code(200).message("{status: UP, checks}").endResponseMessage()
                    .responseMessage().code(503).message("{status: DOWN, checks}").endResponseMessage()
                    .to("direct:health-live")
                .get("/ready").id("rest-health-ready").description("Readiness: PostgreSQL (migrated) and RabbitMQ answer, orders can be taken")
                    .produces("application/json")
                    .responseMessage().code(200).message("{status: UP, checks: {database, broker, …}}").endResponseMessage()
                    .responseMessage().code(503).message("{status: DOWN, checks} naming what is down").endResponseMessage()
                    .to("direct:health-ready");

        rest("/products").description("The local copy of every vendor's stock")
                .get().id("rest-list-products").description("Products, in a stable order; stock is what can still be ordered")
                    .produces("application/json")
                    .param().name("vendor").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("only this vendor's products").endParam()
                    .param().name("limit").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .dataType("integer").defaultValue("100").description("page size, 1-1000").endParam()
                    .param().name("offset").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .dataType("integer").defaultValue("0").description("rows to skip").endParam()
                    .param().name("cursor").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("the nextCursor of the previous page: continue after it (stays fast however deep)").endParam()
                    .param().name("q").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("only products whose name contains this text, ignoring case and accents (at most 200 characters)").endParam()
                    .param().name("inStock").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .dataType("boolean").description("true: only products with stock > 0; false: only those with none").endParam()
                    .param().name("minPrice").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .dataType("number").description("only products priced at least this (a decimal such as 9.99)").endParam()
                    .param().name("maxPrice").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .dataType("number").description("only products priced at most this").endParam()
                    .param().name("sort").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .allowableValues("price", "-price", "name", "-updatedAt")
                        .description("the order (ties by vendor, then id); default: by vendor, then id").endParam()
                    .param().name("updatedSince").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("the changes feed: the nextCursor of a previous feed answer, or an ISO-8601 instant"
                                + " with its offset (2026-12-02T10:00:00Z). Answers the products whose name, price, stock"
                                + " or listing changed after it, oldest change first, as {products (each with changedAt),"
                                + " limit, nextCursor, hasMore}; nextCursor is always given (store it, ask again with it),"
                                + " hasMore says more changes can be read at once. Combines with vendor and limit,"
                                + " not with offset or cursor").endParam()
                    .param().name("If-None-Match").type(org.apache.camel.model.rest.RestParamType.header).required(false)
                        .description("the ETag of an earlier answer: 304 without a body if nothing changed").endParam()
                    .responseMessage().code(200).message("a page of products, with an ETag; total counts every match; nextCursor when more follow"
                            + " (with updatedSince: a page of the changes feed, nextCursor always)").endResponseMessage()
                    .responseMessage().code(304).message("not modified since the If-None-Match ETag").endResponseMessage()
                    .responseMessage().code(400).message("bad limit, offset, cursor, q, inStock, minPrice, maxPrice, sort or updatedSince, "
                            + "a cursor of another sort or filter, or updatedSince with offset, cursor, a search or a sort (problem+json naming it)").endResponseMessage()
                    .to("direct:list-products")
                .get("/{vendor}/{id}").id("rest-get-product").description("One product, as in the list; stock is what can still be ordered")
                    .produces("application/json")
                    .param().name("vendor").type(org.apache.camel.model.rest.RestParamType.path).description("the vendor's name").endParam()
                    .param().name("id").type(org.apache.camel.model.rest.RestParamType.path).description("the vendor's product id").endParam()
                    .param().name("If-None-Match").type(org.apache.camel.model.rest.RestParamType.header).required(false)
                        .description("the ETag of an earlier answer: 304 without a body if nothing changed").endParam()
                    .responseMessage().code(200).message("{vendor, id, name, price, stock, vendorStock, reserved, fetchedAt, updatedAt, delistedAt?}, with an ETag").endResponseMessage()
                    .responseMessage().code(304).message("not modified since the If-None-Match ETag").endResponseMessage()
                    .responseMessage().code(404).message("no such product (problem+json)").endResponseMessage()
                    .to("direct:get-product");

        rest("/order").description("Place an order")
                .post().id("rest-place-order").description("Reserve stock and queue the order for its vendor")
                    // No consumes(): the platform would answer a wrong Content-Type with a bare 415;
                    // OrderIntake answers it as problem+json like every other client mistake.
                    .produces("application/json")
                    .param().name("Idempotency-Key").type(org.apache.camel.model.rest.RestParamType.header).required(false)
                        .description("a retry with the same key returns the first answer and creates nothing").endParam()
                    .param().name("body").type(org.apache.camel.model.rest.RestParamType.body).required(true)
                        .description("{\"id\": vendor's product id, \"vendor\", \"quantity\" (1-10000), \"name\"?, \"price\"?, "
                                + "\"callbackUrl\"? (http(s) URL of a host in WEBHOOK_ALLOWED_HOSTS: its own status webhooks)}").endParam()
                    .responseMessage().code(202).message("accepted: {orderId, status: PENDING, …}, Location: /orders/{orderId}").endResponseMessage()
                    .responseMessage().code(400).message("bad input, or a callbackUrl whose host is not allowed (problem+json)").endResponseMessage()
                    .responseMessage().code(404).message("unknown vendor or product (problem+json)").endResponseMessage()
                    .responseMessage().code(409).message("not enough stock (problem+json)").endResponseMessage()
                    .responseMessage().code(413).message("body too large (problem+json)").endResponseMessage()
                    .responseMessage().code(422).message("Idempotency-Key reused for another request (problem+json)").endResponseMessage()
                    .to("direct:place-order");

        rest("/orders").description("Orders and their delivery state")
                .get("/{orderId}").id("rest-get-order").description("One order: status PENDING, SYNCED, FAILED or CANCELLED, attempts, last error")
                    .produces("application/json")
                    .param().name("orderId").type(org.apache.camel.model.rest.RestParamType.path).description("the order's UUID").endParam()
                    .responseMessage().code(200).message("the order").endResponseMessage()
                    .responseMessage().code(404).message("no such order (problem+json)").endResponseMessage()
                    .to("direct:get-order")
                .get().id("rest-list-orders").description("Orders, newest first")
                    .produces("application/json")
                    .param().name("status").type(org.apache.camel.model.rest.RestParamType.query).required(false)
                        .description("PENDING, SYNCED, FAILED or CANCELLED").endParam()
                    .param().name("limit").type(org.apache.camel.model.rest.RestParamType.query).required(false).dataType("integer").endParam()
                    .param().name("offset").type(org.apache.camel.model.rest.RestParamType.query).required(false).dataType("integer").endParam()
                    .responseMessage().code(200).message("{orders: […], total}").endResponseMessage()
                    .responseMessage().code(400).message("unknown status (problem+json)").endResponseMessage()
                    .to("direct:list-orders")
                .post().id("rest-place-cart").description("A cart: every line reserved in one transaction, or none; one order per line, "
                        + "each delivered through its vendor's lane")
                    .produces("application/json")
                    .param().name("Idempotency-Key").type(org.apache.camel.model.rest.RestParamType.header).required(false)
                        .description("a retry with the same key returns the first answer and creates nothing").endParam()
                    .param().name("body").type(org.apache.camel.model.rest.RestParamType.body).required(true)
                        .description("{\"lines\": [{\"vendor\", \"id\": vendor's product id, \"quantity\" (1-10000)}, …]}, 1-100 lines, any vendors").endParam()
                    .responseMessage().code(202).message("accepted: {cartId, status: PENDING, lines: [{line, orderId, status, vendor, id, quantity, unitPrice}]}, "
                        + "Location: /carts/{cartId}").endResponseMessage()
                    .responseMessage().code(400).message("bad input, naming the line and field (problem+json)").endResponseMessage()
                    .responseMessage().code(404).message("unknown vendor or product, naming each such line; nothing reserved (problem+json)").endResponseMessage()
                    .responseMessage().code(409).message("not enough stock, naming each short line; nothing reserved (problem+json)").endResponseMessage()
                    .responseMessage().code(413).message("body over 64 KiB (problem+json)").endResponseMessage()
                    .responseMessage().code(415).message("Content-Type not JSON (problem+json)").endResponseMessage()
                    .responseMessage().code(422).message("Idempotency-Key reused for another cart (problem+json)").endResponseMessage()
                    .to("direct:place-cart")
                .post("/{orderId}/cancel").id("rest-cancel-order").description("Cancel an order its vendor does not have: CANCELLED, "
                        + "reserved stock given back, never sent afterwards")
                    .produces("application/json")
                    .param().name("orderId").type(org.apache.camel.model.rest.RestParamType.path).description("the order's UUID").endParam()
                    .responseMessage().code(200).message("the order, CANCELLED (also when it already was)").endResponseMessage()
                    .responseMessage().code(404).message("no such order (problem+json)").endResponseMessage()
                    .responseMessage().code(409).message("SYNCED (the vendor accepted it), or a call to its vendor is in flight "
                        + "or its outcome unknown (problem+json, detail says which)").endResponseMessage()
                    .to("direct:cancel-order");

        rest("/carts").description("Carts: their lines' orders and the cart's status")
                .get("/{cartId}").id("rest-get-cart").description("A cart: each line's order and status; the cart's status is FAILED if "
                        + "any line FAILED, SYNCED when every line not cancelled is SYNCED, CANCELLED when all are, else PENDING")
                    .produces("application/json")
                    .param().name("cartId").type(org.apache.camel.model.rest.RestParamType.path).description("the cart's UUID").endParam()
                    .responseMessage().code(200).message("{cartId, status, lines: [{line, orderId, status, …}], createdAt}").endResponseMessage()
                    .responseMessage().code(404).message("no such cart (problem+json)").endResponseMessage()
                    .to("direct:get-cart");

        // The common tail of every JSON answer: the body as JSON, no request headers echoed back.
        from("direct:json-answer")
                .routeId("json-answer")
                .removeHeaders("*")
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("direct:welcome")
                .routeId("welcome")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant("{\"message\":\"Welcome to the Distributed Order Aggregator\","
                        + "\"endpoints\":[\"GET /products\",\"POST /order\",\"POST /orders\",\"GET /orders/{orderId}\",\"POST /orders/{orderId}/cancel\",\"GET /carts/{cartId}\",\"GET /health\"]}"));

        from("direct:health-live")
                .routeId("health-live")
                .bean("healthAnswers", "live");

        from("direct:health-ready")
                .routeId("health-ready")
                .bean("healthAnswers", "ready");

        from("direct:health")
                .routeId("health")
                .routeConfigurationId("http-problems")
                .bean("health", "answer");

        from("direct:list-products")
                .routeId("list-products")
                .routeConfigurationId("http-problems")
                .choice()
                    // the changes feed (issue 26): another order and another cursor than the listing's
                    .when(header("updatedSince").isNotNull())
                        .bean("productChanges", "page").id("product-changes")
                    .otherwise()
                        .bean("productListing", "page").id("product-listing")
                .end()
                .process(ConditionalAnswer::respond).id("conditional-answer");

        from("direct:get-product")
                .routeId("get-product")
                .routeConfigurationId("http-problems")
                .bean("productListing", "product")
                .process(ConditionalAnswer::respond).id("product-conditional-answer");
    }
}
