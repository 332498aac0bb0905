package dev.aggregator.vendor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YAML files in routes/ (vendors, mostly), loaded at start and followed while the service runs: a
 * file added is loaded, a file changed is loaded again in place of its old routes, a file deleted takes
 * its routes away. After a change the vendor registry is refreshed, and with it the poll triggers and the
 * delivery lanes.
 *
 * Why not Camel Main's route reloading (camel.main.routes-reload-enabled): with its default
 * (routes-reload-remove-all-routes=true) a change removes every route of the context, and the Java routes
 * (REST, delivery, stock sync) have no file to be loaded again from; with it off, a changed file updates
 * routes of the same id but a deleted file removes nothing. The files are read with Camel's own routes
 * loader (the YAML DSL) all the same.
 */
public class VendorFiles implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(VendorFiles.class);

    private record Loaded(long modified, long size, Set<String> routeIds) {
    }

    private final CamelContext context;
    private final Path directory;
    private final String suffix;
    private final VendorRegistry vendors;
    private final Map<Path, Loaded> loaded = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

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

    /** Loads the files as they are now; true when anything changed. Called at start and by the vendor-files route. */
    public synchronized boolean scan() {
        Map<Path, long[]> now = files();
        boolean changed = false;
        for (Path gone : new HashSet<>(loaded.keySet())) {
            if (!now.containsKey(gone)) {
                removeRoutes(loaded.remove(gone).routeIds());
                LOG.info("Routes file {} deleted: its routes removed", gone.getFileName());
                changed = true;
            }
        }
        for (Map.Entry<Path, long[]> file : now.entrySet()) {
            Loaded before = loaded.get(file.getKey());
            long modified = file.getValue()[0];
            long size = file.getValue()[1];
            if (before != null && before.modified() == modified && before.size() == size) {
                continue;
            }
            if (before != null) {
                removeRoutes(before.routeIds());
            }
            loaded.put(file.getKey(), new Loaded(modified, size, load(file.getKey())));
            LOG.info("Routes file {} {}", file.getKey().getFileName(), before == null ? "loaded" : "changed: loaded again");
            changed = true;
        }
        if (changed && started.get()) {
            vendors.refresh();
        }
        return changed;
    }

    /** The route ids the file added; none when it could not be loaded (said in the log, once per change). */
    private Set<String> load(Path file) {
        Set<String> before = routeIds();
        try {
            Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file.toAbsolutePath());
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        } catch (Exception e) {
            LOG.error("Routes file {} could not be loaded (fix it and save it again): {}", file.getFileName(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
        }
        Set<String> added = routeIds();
        added.removeAll(before);
        return added;
    }

    private void removeRoutes(Set<String> ids) {
        for (String id : ids) {
            try {
                Route route = context.getRoute(id);
                if (route != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
            } catch (Exception e) {
                LOG.error("Route {} could not be removed: {}", id, e.getMessage());
            }
        }
    }

    private Set<String> routeIds() {
        return context.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(HashSet::new));
    }

    /** The directory's files with the suffix: last modified time and size, by path. */
    private Map<Path, long[]> files() {
        Map<Path, long[]> files = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList()) {
                files.put(p, new long[] {Files.getLastModifiedTime(p).toMillis(), Files.size(p)});
            }
        } catch (IOException e) {
            LOG.warn("Routes directory {} could not be read: {}", directory, e.getMessage());
        }
        return files;
    }
}
