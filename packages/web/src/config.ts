/** Application-wide constants. */
export const PRODUCT_NAME = '崇州市城市运行管理平台';
export const PRODUCT_SHORT_NAME = '城运平台';
/** The landing page after login. */
export const HOME_PATH = '/home';
