/** IoT: 消息追踪 (helper A). */
export const traceEndpoints = {};
