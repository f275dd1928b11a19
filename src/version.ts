/** The package version, sent in the User-Agent header. A test keeps it equal to package.json. */
export const SDK_VERSION = "0.2.0";
export const SDK_NAME = "@permiso-io/custom-hooks-sdk";
