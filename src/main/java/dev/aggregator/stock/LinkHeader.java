package dev.aggregator.stock;

/**
 * RFC 8288 web linking, as paging APIs use it (Shopify, GitHub): the target of rel="next" in a Link header
 * such as {@code <https://api.example.com/items?page_info=abc>; rel="next", <…>; rel="previous"}.
 */
final class LinkHeader {

    private LinkHeader() {
    }

    /** The URI reference of the link whose rel includes "next", as given (maybe relative); null if none. */
    static String next(String header) {
        if (header == null) {
            return null;
        }
        int i = 0;
        while (i < header.length()) {
            int open = header.indexOf('<', i);
            if (open < 0) {
                return null;
            }
            int close = header.indexOf('>', open);
            if (close < 0) {
                return null;
            }
            String target = header.substring(open + 1, close).trim();
            // this link's parameters run to the next link's '<' (a ',' may sit inside a quoted value)
            int end = nextLinkStart(header, close + 1);
            String params = header.substring(close + 1, end);
            for (String param : params.split(";")) {
                String[] kv = param.trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("rel")) {
                    String rel = kv[1].trim().replaceAll("^\"|\"?,?$", "").trim();
                    for (String r : rel.split("\\s+")) {
                        if (r.equalsIgnoreCase("next")) {
                            return target;
                        }
                    }
                }
            }
            i = end;
        }
        return null;
    }

    private static int nextLinkStart(String header, int from) {
        boolean quoted = false;
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '<' && !quoted) {
                return i;
            }
        }
        return header.length();
    }
}
