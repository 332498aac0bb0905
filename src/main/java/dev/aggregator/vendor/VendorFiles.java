package dev.aggregator.vendor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.aggregator.config.SettingsException;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.slf4j.LoggerFactory;

/**
 * The vendor files in routes/, loaded at start and followed while the service runs: a file added is loaded, a
 * file changed is loaded again in place of its old version, a file deleted takes its vendors away. After a
 * change the vendor registry is refreshed, and with it the poll triggers and the delivery lanes.
 *
 * A file is read and checked whole before any route is touched (Camel's routes loader parses the YAML into
 * definitions, {@link FileVendor} checks each vendor, then the claims): a file that cannot be used is refused,
 * named with its error in {@link #status} (GET /health, the dashboard) and logged once per change, and its
 * previous version, if any, keeps running, so the vendor's queued orders are never failed for a typo. One
 * vendor belongs to one file: a second file naming it, or naming a vendor of the environment, is refused
 * (and tried again each scan, so it takes over once the first file is deleted).
 *
 * Why not Camel Main's route reloading (camel.main.routes-reload-enabled): with its default
 * (routes-reload-remove-all-routes=true) a change removes every route of the context, and the Java routes
 * (REST, delivery, stock sync) have no file to be loaded again from; with it off, a changed file updates
 * routes of the same id but a deleted file removes nothing, and a broken one leaves nothing running.
 */
public class VendorFiles implements ExtendedStartupListener {

    public static final String TEMPLATE = "vendor-poller";
    private static final Logger LOG = LoggerFactory.getLogger(VendorFiles.class);
    private static final Pattern MISSING_PLACEHOLDER = Pattern.compile("key \\[([^\\]]+)\\]");
    private static final int MAX_ERROR = 300;

    /**
     * A file as last seen: its version (time, size), the vendors of it that run (perhaps of an older version),
     * why the version seen is not used (null when it is), and whether only another file's or the environment's
     * claim on its vendor stood in the way (then it is tried again every scan).
     */
    private record FileState(long modified, long size, Contents running, String error, boolean claimed) {
    }

    /**
     * What a version of a file holds: its vendors and its own routes (a vendor of its own's pageRoute and
     * orderRoute, README "A vendor of its own"), and its text, to parse its routes again if they must be
     * started again (a route definition is started once).
     */
    private record Contents(List<FileVendor> vendors, List<RouteDefinition> routes, String text) {
        static final Contents NONE = new Contents(List.of(), List.of(), null);

        List<String> routeIds() {
            return routes.stream().map(RouteDefinition::getRouteId).toList();
        }

        boolean isEmpty() {
            return vendors.isEmpty() && routes.isEmpty();
        }
    }

    /** A vendor the file names that another file or the environment already has. */
    private static final class ClaimedException extends RuntimeException {
        ClaimedException(String message) {
            super(message);
        }
    }

    private final CamelContext context;
    private final Path directory;
    private final String suffix;
    private final VendorRegistry vendors;
    private final Map<Path, FileState> files = new LinkedHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Map<String, Object> status = Map.of();

    public VendorFiles(CamelContext context, Path directory, String suffix, VendorRegistry vendors) {
        this.context = context;
        this.directory = directory;
        this.suffix = suffix;
        this.vendors = vendors;
    }

    @Override
    public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
    }

    /**
     * The first load: once every Java route (the vendor-poller template included) runs, and before the lanes
     * and the poll triggers (listeners added after this one) read the vendors. Camel calls again for every
     * route added later, the files' own included: once is enough.
     */
    @Override
    public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) {
        if (started.compareAndSet(false, true)) {
            scan();
            vendors.refresh();
        }
    }

    /**
     * Each file's state, by file name: status LOADED or FAILED, the vendors it runs, and for a FAILED one the
     * error and whether its previous version still runs. For GET /health and the dashboard.
     */
    public Map<String, Object> status() {
        return status;
    }

    /** Applies the files as they are now; true when the vendors changed. Called at start and by the vendor-files route. */
    public synchronized boolean scan() {
        Map<Path, long[]> now = files();
        boolean changed = false;
        for (Path gone : new ArrayList<>(files.keySet())) {
            if (!now.containsKey(gone)) {
                FileState state = files.remove(gone);
                removeRoutes(state.running());
                LOG.info("Vendor file {} deleted{}", gone.getFileName(),
                        state.running().isEmpty() ? "" : ": vendor " + names(state.running()) + " removed");
                changed |= !state.running().vendors().isEmpty();
            }
        }
        for (Map.Entry<Path, long[]> file : now.entrySet()) {
            FileState before = files.get(file.getKey());
            long modified = file.getValue()[0];
            long size = file.getValue()[1];
            boolean seen = before != null && before.modified() == modified && before.size() == size;
            if (!seen || before.claimed()) {
                changed |= apply(file.getKey(), modified, size, before);
            }
        }
        if (changed && started.get()) {
            vendors.refresh();
        }
        status = render();
        return changed;
    }

    /** Loads the file's version in place of the one that runs, or refuses it and leaves that running. */
    private boolean apply(Path file, long modified, long size, FileState before) {
        Contents previous = before == null ? Contents.NONE : before.running();
        Contents next;
        try {
            next = read(file);
            checkClaims(file, next);
        } catch (Exception e) {
            refuse(file, new FileState(modified, size, previous, describe(e), e instanceof ClaimedException), before);
            return false;
        }
        removeRoutes(previous);
        try {
            addRoutes(next);
        } catch (Exception e) {
            // Checked and still not startable (rare: Camel refused the route). Back to the version that ran.
            removeRoutes(next);
            try {
                previous = previous.isEmpty() ? previous : parse(file.getFileName().toString(), previous.text());
                addRoutes(previous);
            } catch (Exception again) {
                LOG.error("Vendor file {}: its previous version could not be started again either: {}", file.getFileName(), describe(again));
                removeRoutes(previous);
                previous = Contents.NONE;
            }
            refuse(file, new FileState(modified, size, previous, "could not be started: " + describe(e), false), before);
            return true;
        }
        files.put(file, new FileState(modified, size, next, null, false));
        List<String> ignored = next.vendors().stream().filter(v -> v.ignoredRouteId() != null)
                .map(v -> v.ignoredRouteId() + " (route " + v.routeId() + ")").toList();
        LOG.info("Vendor file {} {}: vendor {}{}{}", file.getFileName(), before == null || before.running().isEmpty() ? "loaded" : "changed, loaded again",
                names(next), next.routes().isEmpty() ? "" : " with its routes " + String.join(", ", next.routeIds()),
                ignored.isEmpty() ? "" : "; its routeId " + String.join(", ", ignored) + " is not used: route ids are vendor-poller-<vendor>");
        return true;
    }

    /** Records why the file is not used; logged once per version of the file (and again if its error changes). */
    private void refuse(Path file, FileState state, FileState before) {
        files.put(file, state);
        boolean newVersion = before == null || before.modified() != state.modified() || before.size() != state.size();
        if (newVersion || !state.error().equals(before.error())) {
            LOG.error("Vendor file {} refused: {}; {}", file.getFileName(), state.error(), state.running().isEmpty()
                    ? "nothing of it runs (fix it and save it again)"
                    : "its previous version keeps running vendor " + names(state.running()) + " (fix it and save it again)");
        }
    }

    /** The file's vendors, read with Camel's routes loader and checked; no route is added or removed. */
    private Contents read(Path file) throws Exception {
        return parse(file.getFileName().toString(), Files.readString(file));
    }

    /**
     * The vendors a vendor file's text describes, checked as a file in routes/ would be, and nothing more:
     * no route is added (the admin preview). A SettingsException says what is wrong.
     */
    public List<FileVendor> readText(String yaml) throws Exception {
        return parse("preview.yaml", yaml).vendors();
    }

    private Contents parse(String fileName, String text) throws Exception {
        Resource resource = ResourceHelper.fromString(fileName, text);
        Set<String> known = templateParameters();
        List<FileVendor> found = new ArrayList<>();
        List<RouteDefinition> own = new ArrayList<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
            if (!(builder instanceof RouteBuilder routes)) {
                throw new SettingsException("file", "is not a YAML routes file");
            }
            routes.configureRoutes(context); // parses the YAML into definitions, nothing more
            if (!routes.getRestCollection().getRests().isEmpty() || !routes.getRouteTemplateCollection().getRouteTemplates().isEmpty()) {
                throw new SettingsException("file", "holds more than vendors: only templatedRoute entries of " + TEMPLATE
                        + " and the routes of a vendor of its own belong here");
            }
            for (RouteDefinition route : routes.getRouteCollection().getRoutes()) {
                if (!route.hasCustomIdAssigned()) {
                    throw new SettingsException("route from " + route.getInput().getEndpointUri(), "has no id; every route of a vendor file has one");
                }
                if (own.stream().anyMatch(r -> r.getRouteId().equals(route.getRouteId()))) {
                    throw new SettingsException("route '" + route.getRouteId() + "'", "is in this file twice");
                }
                if (!route.isErrorHandlerFactorySet() && route.getErrorHandlerRef() == null) {
                    // A failure belongs to the poll or the lane that called the route: they record it and decide
                    // (retry, dead letter, the vendor's status). Camel's default handler would log it as an ERROR
                    // with a stack trace and mark it handled, and the caller would never see it.
                    route.errorHandler(new org.apache.camel.model.errorhandler.NoErrorHandlerDefinition());
                }
                own.add(route);
            }
            for (TemplatedRouteDefinition t : routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                if (!TEMPLATE.equals(t.getRouteTemplateRef())) {
                    throw new SettingsException("routeTemplateRef", "'" + t.getRouteTemplateRef() + "' is not " + TEMPLATE);
                }
                if (t.getBeans() != null && !t.getBeans().isEmpty() || t.getPrefixId() != null) {
                    throw new SettingsException("templatedRoute", "beans and prefixId are not supported in vendor files");
                }
                List<Map.Entry<String, String>> parameters = new ArrayList<>();
                for (TemplatedRouteParameterDefinition p : t.getParameters()) {
                    String name = p.getName() == null ? "" : p.getName();
                    parameters.add(Map.entry(name, resolve(name, p.getValue() == null ? "" : p.getValue())));
                }
                FileVendor vendor = FileVendor.check(t.getRouteId(), parameters, known);
                if (found.stream().anyMatch(v -> v.name().equals(vendor.name()))) {
                    throw new SettingsException("vendor", "'" + vendor.name() + "' is in this file twice");
                }
                found.add(vendor);
            }
        }
        if (found.isEmpty()) {
            throw new SettingsException("file", "holds no vendor (a templatedRoute of " + TEMPLATE + ", see vendor-example.yaml.sample)");
        }
        for (FileVendor vendor : found) {
            requireRoute(vendor, "pageRoute", own);
            requireRoute(vendor, "orderRoute", own);
        }
        return new Contents(List.copyOf(found), List.copyOf(own), text);
    }

    /** A vendor's pageRoute or orderRoute is a route of its own file: the file is whole, and goes whole. */
    private static void requireRoute(FileVendor vendor, String parameter, List<RouteDefinition> own) {
        String endpoint = vendor.parameters().get(parameter);
        if (endpoint != null && own.stream().noneMatch(r -> sameDirect(endpoint, r.getInput().getEndpointUri()))) {
            throw new SettingsException(parameter, "'" + endpoint + "' is not the 'from' of any route in this file; add a route from "
                    + endpoint + " (README \"A vendor of its own\")");
        }
    }

    private static boolean sameDirect(String endpoint, String from) {
        String f = from == null ? "" : from.replace("direct://", "direct:");
        int q = f.indexOf('?');
        return endpoint.equals(q < 0 ? f : f.substring(0, q));
    }

    /** The value with its {{placeholders}} replaced, as the route would get it; a placeholder without a value refuses the file. */
    private String resolve(String parameter, String value) {
        if (dev.aggregator.config.VendorApi.PARAMETERS.contains(parameter) && !parameter.equals("orderHeaders")) {
            return value; // a jq expression: its braces are jq's, never placeholders ("{a: {b: 1}}")
        }
        try {
            return context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            // Camel's message quotes the whole value (a URL's password, a key): only the placeholder is named.
            Matcher m = MISSING_PLACEHOLDER.matcher(String.valueOf(e.getMessage()));
            String key = m.find() ? m.group(1) : "?";
            throw new SettingsException(parameter, "placeholder {{" + key + "}} has no value; set it, or give a default: {{"
                    + key + ":}} is empty when unset");
        }
    }

    private Set<String> templateParameters() {
        RouteTemplateDefinition template = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(TEMPLATE);
        return template.getTemplateParameters().stream().map(RouteTemplateParameterDefinition::getName).collect(Collectors.toSet());
    }

    /** One vendor, one owner: refused when another file runs it, or it is the environment's (or a demo vendor). */
    private void checkClaims(Path file, Contents next) {
        Contents mine = files.containsKey(file) ? files.get(file).running() : Contents.NONE;
        for (RouteDefinition route : next.routes()) {
            String id = route.getRouteId();
            if (!mine.routeIds().contains(id) && (context.getRoute(id) != null || id.startsWith(FileVendor.ROUTE_PREFIX))) {
                throw new ClaimedException("route id '" + id + "' is already taken" + files.entrySet().stream()
                        .filter(f -> f.getValue().running().routeIds().contains(id)).map(f -> " by " + f.getKey().getFileName())
                        .findFirst().orElse(" by the service") + "; name the file's routes after its vendor");
            }
        }
        for (FileVendor vendor : next.vendors()) {
            for (Map.Entry<Path, FileState> other : files.entrySet()) {
                if (!other.getKey().equals(file) && other.getValue().running().vendors().stream().anyMatch(v -> v.name().equals(vendor.name()))) {
                    throw new ClaimedException("vendor '" + vendor.name() + "' is already configured by " + other.getKey().getFileName()
                            + "; one vendor, one file");
                }
            }
            boolean ours = mine.vendors().stream().anyMatch(v -> v.routeId().equals(vendor.routeId()));
            boolean elsewhere = context.getRoute(vendor.routeId()) != null
                    || vendors.pollers().stream().anyMatch(r -> vendor.name().equals(String.valueOf(r.getProperties().get(VendorRegistry.VENDOR_PROPERTY))));
            if (!ours && elsewhere) {
                throw new ClaimedException("vendor '" + vendor.name() + "' is already configured by the environment (VENDOR_URL_<n>, "
                        + "or a demo vendor when none is set); a file cannot replace it");
            }
        }
    }

    /** The file's own routes first: a vendor's poll or lane may call them as soon as it runs. */
    private void addRoutes(Contents add) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        model.addRouteDefinitions(add.routes());
        for (FileVendor vendor : add.vendors()) {
            model.addRouteFromTemplate(vendor.routeId(), TEMPLATE, new LinkedHashMap<>(vendor.parameters()));
        }
    }

    /** The vendors' pollers first, their own routes last (the lanes, stopped by the refresh after, wait for a direct: consumer). */
    private void removeRoutes(Contents remove) {
        List<String> ids = new ArrayList<>(remove.vendors().stream().map(FileVendor::routeId).toList());
        ids.addAll(remove.routeIds());
        for (String id : ids) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
            } catch (Exception e) {
                LOG.error("Route {} could not be removed: {}", id, e.getMessage());
            }
        }
    }

    private Map<String, Object> render() {
        Map<String, Object> all = new TreeMap<>();
        files.forEach((file, state) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", state.error() == null ? "LOADED" : "FAILED");
            s.put("vendors", state.running().vendors().stream().map(FileVendor::name).toList());
            if (!state.running().routes().isEmpty()) {
                s.put("routes", state.running().routeIds());
            }
            if (state.error() != null) {
                s.put("error", state.error());
                s.put("previousVersionRunning", !state.running().isEmpty());
            }
            all.put(file.getFileName().toString(), s);
        });
        return java.util.Collections.unmodifiableMap(all);
    }

    /**
     * One line, short, without an excerpt of the file (a line of it may hold a token): our own errors as they
     * are, the YAML parser's problem with its line, otherwise the first line of the deepest cause.
     */
    static String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SettingsException || t instanceof ClaimedException) {
                return shorten(t.getMessage());
            }
            if (t instanceof MarkedYamlEngineException yaml) {
                String where = yaml.getProblemMark().map(m -> "line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": ").orElse("");
                return shorten("not valid YAML: " + where + yaml.getProblem() + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")"));
            }
            root = t;
        }
        return shorten(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    private static String shorten(String message) {
        String line = message.lines().findFirst().orElse("").trim();
        return line.length() > MAX_ERROR ? line.substring(0, MAX_ERROR) + "…" : line;
    }

    private static String names(Contents contents) {
        return contents.vendors().stream().map(FileVendor::name).collect(Collectors.joining(", "));
    }

    /** The directory's files with the suffix: last modified time and size, by path. */
    private Map<Path, long[]> files() {
        Map<Path, long[]> found = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList()) {
                found.put(p, new long[] {Files.getLastModifiedTime(p).toMillis(), Files.size(p)});
            }
        } catch (IOException e) {
            LOG.warn("Routes directory {} could not be read: {}", directory, e.getMessage());
        }
        return found;
    }
}
