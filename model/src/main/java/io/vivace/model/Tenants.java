package io.vivace.model;

/** Tenant IDs, with the rules of Tempo's {@code X-Scope-OrgID} header. */
public final class Tenants {
    /** The tenant every request belongs to when multitenancy is off. */
    public static final String SINGLE_TENANT = "single-tenant";
    /** Maximum length of a tenant ID, as in Grafana's dskit. */
    public static final int MAX_LENGTH = 150;

    private Tenants() {}

    /**
     * Checks a tenant ID from a header and returns it.
     *
     * @throws IllegalArgumentException with a message fit for an HTTP 400 body
     */
    public static String validate(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("no org id");
        }
        if (tenant.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("tenant ID is too long: max " + MAX_LENGTH + " characters");
        }
        if (tenant.equals(".") || tenant.equals("..")) {
            throw new IllegalArgumentException("tenant ID is '.' or '..'");
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!-_.*'()".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("tenant ID '" + tenant + "' contains unsupported character '" + c + "'");
            }
        }
        return tenant;
    }
}
