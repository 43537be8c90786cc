package io.atelier.pipeline.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.atelier.pipeline.lake.LakeConfig;
import io.atelier.pipeline.lake.Manifest;

/** Reads what the lake holds, as a reader of the folder would: the manifest's live files, through DuckDB. */
public final class LakeContents {

    private LakeContents() {
    }

    /** The live files' paths. */
    public static List<Path> liveFiles(Manifest manifest, LakeConfig config) throws SQLException {
        return manifest.live(config.name()).stream().map(e -> config.dir().toAbsolutePath().normalize().resolve(e.path())).toList();
    }

    /** Every row of the live files whose event_id is one of {@code ids}, with its partition columns and its file. */
    public static List<Map<String, Object>> rows(Manifest manifest, LakeConfig config, Collection<String> ids)
            throws SQLException {
        return select(liveFiles(manifest, config), "*, filename AS file", "event_id IN (" + ids.stream()
                .map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")");
    }

    public static List<Map<String, Object>> select(List<Path> files, String columns, String where) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (files.isEmpty()) {
            return rows;
        }
        String list = files.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet result = statement.executeQuery("SELECT " + columns + " FROM read_parquet([" + list
                        + "], hive_partitioning = true, hive_types = {'date': DATE, 'type': VARCHAR}, filename = true) WHERE "
                        + where)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    row.put(meta.getColumnName(i), value == null ? null : value.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    public static LakeConfig.Loader loader(LakeConfig config) {
        return config.loader();
    }
}
