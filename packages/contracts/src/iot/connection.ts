/** IoT: 连接管理: broker status (helper B). */
export const connectionEndpoints = {};
