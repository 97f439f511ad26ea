/** IoT: 指令下发 (helper C). */
export const commandEndpoints = {};
