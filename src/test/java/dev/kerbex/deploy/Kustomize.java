package dev.kerbex.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset deploy/kubernetes uses: resources
 * (files and directories), {@code labels} (pairs on metadata only), {@code namespace}, {@code images},
 * {@code replicas}, and {@code patches} (a strategic-merge file without lists, or an inline JSON 6902 patch with a
 * target). Anything else in a kustomization fails the render, so the manifests cannot drift into what this does not
 * understand. {@link DeployManifestsTest} compares it with kubectl's own render where kubectl is installed.
 */
final class Kustomize {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "labels", "namespace", "images",
            "replicas", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

    private Kustomize() {
    }

    static List<ObjectNode> render(Path dir) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        for (Iterator<String> it = k.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!KNOWN.contains(field)) {
                throw new IllegalArgumentException(dir + ": kustomization field " + field + " is not supported here");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(render(p));
            } else {
                objects.addAll(readAll(p));
            }
        }
        for (JsonNode l : k.path("labels")) {
            if (l.has("includeSelectors") || l.has("includeTemplates")) {
                throw new IllegalArgumentException(dir + ": labels with selectors or templates are not supported here");
            }
            for (ObjectNode o : objects) {
                ObjectNode labels = ((ObjectNode) o.with("metadata")).with("labels");
                l.path("pairs").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
            }
        }
        for (JsonNode p : k.path("patches")) {
            if (p.has("path")) {
                ObjectNode patch = (ObjectNode) YAML.readTree(dir.resolve(p.get("path").asText()).toFile());
                ObjectNode target = find(objects, patch.get("kind").asText(), patch.at("/metadata/name").asText(), dir);
                mergeMaps(target, patch, dir);
            } else {
                ObjectNode target = find(objects, p.at("/target/kind").asText(), p.at("/target/name").asText(), dir);
                for (JsonNode op : YAML.readTree(p.get("patch").asText())) {
                    json6902(target, op, dir);
                }
            }
        }
        for (JsonNode image : k.path("images")) {
            for (ObjectNode o : objects) {
                for (JsonNode c : o.at("/spec/template/spec/containers")) {
                    if (c.path("image").asText().replaceFirst(":[^:/]*$", "").equals(image.get("name").asText())) {
                        String name = image.has("newName") ? image.get("newName").asText() : image.get("name").asText();
                        ((ObjectNode) c).put("image", name + (image.has("newTag") ? ":" + image.get("newTag").asText() : ""));
                    }
                }
            }
        }
        for (JsonNode r : k.path("replicas")) {
            ObjectNode target = find(objects, "Deployment", r.get("name").asText(), dir);
            target.with("spec").put("replicas", r.get("count").asInt());
        }
        if (k.has("namespace")) {
            for (ObjectNode o : objects) {
                if (!CLUSTER_SCOPED.contains(o.path("kind").asText())) {
                    o.with("metadata").put("namespace", k.get("namespace").asText());
                }
            }
        }
        return objects;
    }

    static List<ObjectNode> readAll(Path file) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            for (Iterator<ObjectNode> it = YAML.readValues(parser, ObjectNode.class); it.hasNext();) {
                ObjectNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name, Path dir) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(dir + ": no " + kind + " " + name + " to patch"));
    }

    private static void mergeMaps(ObjectNode target, ObjectNode patch, Path dir) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                throw new IllegalArgumentException(dir + ": strategic-merge patches of lists are not supported here");
            }
            if (e.getValue().isObject() && target.get(e.getKey()) instanceof ObjectNode child) {
                mergeMaps(child, (ObjectNode) e.getValue(), dir);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void json6902(ObjectNode target, JsonNode op, Path dir) {
        JsonPointer path = JsonPointer.compile(op.get("path").asText());
        JsonNode parent = target.at(path.head());
        String last = path.last().getMatchingProperty();
        String kind = op.get("op").asText();
        if (parent instanceof ObjectNode o && (kind.equals("add") || kind.equals("replace") && o.has(last))) {
            o.set(last, op.get("value"));
        } else if (parent instanceof ArrayNode a && kind.equals("add") && last.equals("-")) {
            a.add(op.get("value"));
        } else {
            throw new IllegalArgumentException(dir + ": JSON patch " + op + " is not supported here");
        }
    }
}
