package dev.aggregator.ops;

import java.util.Map;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * The files the dashboard page loads beside itself, served from the jar (users run offline: no CDN): the
 * chart library uPlot (MIT, vendored from npm as published, licence beside it). Only these names are
 * answered, so no path reaches any other resource.
 */
public class DashboardAssets {

    private static final Map<String, String> TYPES = Map.of(
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8",
            "uPlot-LICENSE.txt", "text/plain; charset=utf-8");

    public void answer(@Header("asset") String asset, Message message) {
        String type = asset == null ? null : TYPES.get(asset);
        if (type == null) {
            throw ProblemException.notFound("no such dashboard file: " + asset);
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setBody(ClasspathText.load("dashboard/" + asset));
    }
}
