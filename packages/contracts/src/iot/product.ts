/** IoT: 产品 and thing models (helper A). */
export const productEndpoints = {};
