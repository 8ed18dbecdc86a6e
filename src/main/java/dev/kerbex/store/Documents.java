package dev.kerbex.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON documents kept as jsonb: the declarative file re-applied changes nothing when they are equal as JSON. */
final class Documents {
    private Documents() {
    }

    static boolean same(ObjectMapper json, String stored, String document) {
        try {
            return stored != null && json.readTree(stored).equals(json.readTree(document));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
