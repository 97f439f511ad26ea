/** IoT: 规则模型 and 规则实例 (helper D). */
export const ruleEndpoints = {};
