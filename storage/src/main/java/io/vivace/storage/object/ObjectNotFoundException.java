package io.vivace.storage.object;

import java.io.IOException;

/** The key does not exist in the object store. */
public class ObjectNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code key}. */
    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}
