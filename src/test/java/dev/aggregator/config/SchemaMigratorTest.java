package dev.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void warnsOnlyWhenAutovacuumIsOff() {
        assertThat(SchemaMigrator.autovacuumWarning("off", "db:5432/x")).contains("db:5432/x has autovacuum off").contains("VACUUM ANALYZE");
        assertThat(SchemaMigrator.autovacuumWarning("on", "db:5432/x")).isNull();
        assertThat(SchemaMigrator.autovacuumWarning(null, "db:5432/x")).isNull();
    }
}
