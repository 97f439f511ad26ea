import { PRODUCT_NAME } from '@/config';

export { PRODUCT_NAME };

/** Sets the browser tab title: `${title} - 崇州市城市运行管理平台`. */
export function setPageTitle(title?: string): void {
  document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME;
}
