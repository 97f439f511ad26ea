/** IoT: OTA firmware and upgrade tasks (helper C). */
export const otaEndpoints = {};
