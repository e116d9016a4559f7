package dev.pdsim.scenario.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads YAML text into {@link YamlNode}s with locations, reporting syntax errors as input problems. */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String fileName;

    private YamlReader(String fileName) {
        this.fileName = fileName;
    }

    /** Parses one YAML document; an empty document is an input problem. */
    public static YamlNode read(String fileName, String text) {
        if (text.isBlank()) {
            throw new InputException(SourceLocation.ofFile(fileName), "the file is empty; expected a YAML mapping");
        }
        YamlReader reader = new YamlReader(fileName);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InputException(SourceLocation.ofFile(fileName), "the file holds no YAML document");
            }
            return reader.readValue(p, first);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            SourceLocation where = loc == null ? SourceLocation.ofFile(fileName)
                    : new SourceLocation(fileName, loc.getLineNr(), loc.getColumnNr());
            throw new InputException(where, "broken YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(fileName), "cannot read YAML: " + e.getMessage());
        }
    }

    private YamlNode readValue(JsonParser p, JsonToken token) throws IOException {
        SourceLocation where = here(p);
        switch (token) {
            case START_OBJECT: {
                LinkedHashMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                List<Problem> duplicates = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    SourceLocation keyWhere = here(p);
                    YamlNode value = readValue(p, p.nextToken());
                    if (entries.containsKey(key)) {
                        duplicates.add(new Problem(keyWhere, "duplicate key " + Quote.of(key) + " (first at "
                                + entries.get(key).keyWhere() + ")"));
                    }
                    entries.put(key, new YamlNode.Entry(key, keyWhere, value));
                }
                if (!duplicates.isEmpty()) {
                    throw new InputException(duplicates);
                }
                return new YamlNode.Mapping(where, entries);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(readValue(p, t));
                }
                return new YamlNode.Sequence(where, List.copyOf(items));
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(where, "", YamlNode.ScalarType.NULL);
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(where, p.getText(), YamlNode.ScalarType.INTEGER);
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(where, p.getText(), YamlNode.ScalarType.DECIMAL);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(where, p.getText(), YamlNode.ScalarType.BOOLEAN);
            default:
                if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    // Jackson drops the anchors of scalars, so an alias cannot be resolved reliably;
                    // read as text it would silently be its anchor's name.
                    throw new InputException(where, "YAML aliases are not read (*" + Quote.line(p.getText(),
                            Quote.MAX_SHOWN) + "): write the value itself in place of the alias");
                }
                return new YamlNode.Scalar(where, p.getText(), YamlNode.ScalarType.STRING);
        }
    }

    private SourceLocation here(JsonParser p) {
        JsonLocation loc = p.currentTokenLocation();
        return new SourceLocation(fileName, loc.getLineNr(), loc.getColumnNr());
    }

    /**
     * SnakeYAML's messages run over several lines ("while parsing X", a location, a source excerpt,
     * "expected Y, but found Z"); keep the sentences, drop the excerpts and the locations.
     */
    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || line.startsWith(" ") || t.startsWith("in ") || t.startsWith("^") || t.startsWith("at [")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "; ").append(t);
        }
        return sb.length() == 0 ? "syntax error" : sb.toString();
    }
}
