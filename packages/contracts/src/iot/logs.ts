/** IoT: 访问日志, 系统日志, 告警策略 (helper E). */
export const platformLogEndpoints = {};
