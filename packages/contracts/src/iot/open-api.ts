/** IoT: the third-party API under /api/open/iot (helper E). */
export const openIotEndpoints = {};
