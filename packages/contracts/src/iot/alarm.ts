/** IoT: 告警记录 (helper D). */
export const alarmEndpoints = {};
