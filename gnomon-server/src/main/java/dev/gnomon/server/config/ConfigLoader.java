package dev.gnomon.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads settings in three layers, each overriding the one before: a YAML file (nested or
 * dotted keys under {@code gnomon}), {@code GNOMON_*} environment variables, then flags such
 * as {@code --http.port=7800}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static ServerConfig load(Path yamlFile, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> raw = new HashMap<>();
        if (yamlFile != null) {
            raw.putAll(readYaml(yamlFile));
        }
        for (Setting<?> setting : Settings.ALL) {
            String value = env.get(setting.envName());
            if (value != null) {
                raw.put(setting.key(), value);
            }
        }
        flags.forEach((k, v) -> raw.put(k.startsWith("gnomon.") ? k : "gnomon." + k, v));
        return ServerConfig.of(raw);
    }

    static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config", "file " + file + " does not exist");
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            Map<String, String> out = new HashMap<>();
            if (root != null) {
                flatten("", root, out);
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
            }
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }
}
