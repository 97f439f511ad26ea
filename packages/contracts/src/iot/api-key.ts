/** IoT: 第三方接口 keys (helper E). */
export const apiKeyEndpoints = {};
