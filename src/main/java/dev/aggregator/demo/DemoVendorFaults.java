package dev.aggregator.demo;

import dev.aggregator.support.ProblemException;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** GET or PUT /admin/demo/{vendor}/faults: reads or sets a demo vendor's injected trouble. */
public class DemoVendorFaults {

    public DemoVendor.Faults apply(Exchange exchange, @Header("vendor") String vendor, @Header(Exchange.HTTP_METHOD) String method,
                                   @Body String body) {
        CamelContext context = exchange.getContext();
        DemoVendor demo = context.getRegistry().lookupByNameAndType("demo" + capitalize(vendor), DemoVendor.class);
        if (demo == null) {
            throw ProblemException.notFound("no demo vendor '" + vendor + "'");
        }
        return "PUT".equalsIgnoreCase(method) ? demo.setFaults(body) : demo.faults();
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
