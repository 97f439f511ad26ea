/** IoT: latest values, property history, device events (helper A). */
export const telemetryEndpoints = {};
