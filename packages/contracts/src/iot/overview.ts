/** IoT: 物联概览 figures and the device map (helper A). */
export const overviewEndpoints = {};
