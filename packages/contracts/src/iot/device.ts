/** IoT: devices: registry, credentials, lifecycle, import/export (helper A). */
export const deviceEndpoints = {};
