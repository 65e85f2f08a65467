package org.neuroinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neuroinfer.io.YamlFiles;

/**
 * The generated JSON Schemas agree with the program: every example file passes its kind's schema (checked by an
 * independent validator) and the strict reader; a misspelt key or a value of the wrong type fails both.
 */
class FileKindsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Collection<Error> check(FileKinds.Kind kind, JsonNode doc) {
        Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(kind.schema());
        return s.validate(doc);
    }

    @Test
    void everyExampleFilePassesItsKindsSchemaAndTheReader() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("../examples"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 20, files.toString());
        Map<String, Integer> perKind = new TreeMap<>();
        for (Path f : files) {
            JsonNode doc = YAML.readTree(f.toFile());
            @SuppressWarnings("unchecked")
            Map<String, Object> top = YAML.convertValue(doc, Map.class);
            FileKinds.Kind kind = FileKinds.of(top);
            Collection<Error> errors = check(kind, doc);
            assertTrue(errors.isEmpty(), f + " as " + kind.name() + ": " + errors);
            YamlFiles.read(f, kind.type()); // the program reads it as that kind
            perKind.merge(kind.name(), 1, Integer::sum);
        }
        assertEquals(List.of("benchmark", "experiment", "network", "posterior", "sbibm", "sensitivity", "spectra", "study",
                "training"), List.copyOf(perKind.keySet()), "every kind has an example: " + perKind);
    }

    @Test
    void aMisspeltKeyOrAWrongTypeFailsTheSchema() throws Exception {
        FileKinds.Kind experiment = FileKinds.named("experiment");
        assertTrue(check(experiment, YAML.readTree("noise_factors: [0, 1]\nseed: 3\n")).isEmpty());
        Collection<Error> e = check(experiment, YAML.readTree("noise_factor: [0, 1]\n"));
        assertFalse(e.isEmpty(), "an unknown key");
        assertTrue(e.toString().contains("noise_factor"), e.toString());
        assertFalse(check(experiment, YAML.readTree("recordings_per_condition: many\n")).isEmpty(), "a string");
        FileKinds.Kind training = FileKinds.named("training");
        assertFalse(check(training, YAML.readTree("training: {epoch: 3}\n")).isEmpty(), "a nested unknown key");
        assertTrue(check(training, YAML.readTree("network: {kind: lstm, hidden: 64}\ntraining: {epochs: 3}\n"))
                .isEmpty());
    }

    @Test
    void anUnknownKindNamesTheValidOnes() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FileKinds.named("trainig"));
        assertTrue(e.getMessage().contains("training") && e.getMessage().contains("posterior"), e.getMessage());
    }
}
