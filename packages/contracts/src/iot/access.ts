/** IoT: device-facing HTTP: auth token, report, gateway batch; external-broker auth/acl (helper B). */
export const deviceAccessEndpoints = {};
