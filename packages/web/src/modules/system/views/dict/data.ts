import type { FormRules } from 'element-plus';
import { DICT_TAG_TYPES, DICT_TYPE_CODE_PATTERN, DICT_VALUE_PATTERN, type DictItem } from '@cityops/contracts';

export type TagType = (typeof DICT_TAG_TYPES)[number];

/** The display styles a label can take (Element Plus tag types); '' is the default grey tag. */
export const TAG_STYLES: { value: TagType | ''; label: string }[] = [
  { value: '', label: '默认' },
  { value: 'primary', label: '主要（蓝）' },
  { value: 'success', label: '成功（绿）' },
  { value: 'warning', label: '警告（橙）' },
  { value: 'danger', label: '危险（红）' },
  { value: 'info', label: '信息（灰）' },
];

/** Tag type of a stored style (null → the default tag, as `<dict-tag>` shows it). */
export const tagOf = (t: string | null | undefined): TagType => ((DICT_TAG_TYPES as readonly string[]).includes(t ?? '') ? (t as TagType) : 'info');

export interface TypeForm {
  name: string;
  code: string;
  sort: number;
  enabled: boolean;
}

export const createTypeForm = (): TypeForm => ({ name: '', code: '', sort: 0, enabled: true });

export const typeRules: FormRules<TypeForm> = {
  name: [
    { required: true, whitespace: true, message: '请输入字典类型名称', trigger: 'blur' },
    { max: 64, message: '字典类型名称不能超过 64 个字符', trigger: 'blur' },
  ],
  code: [
    { required: true, whitespace: true, message: '请输入字典类型代码', trigger: 'blur' },
    { max: 64, message: '字典类型代码不能超过 64 个字符', trigger: 'blur' },
    { pattern: DICT_TYPE_CODE_PATTERN, message: '字典类型代码只能包含字母、数字和下划线', trigger: 'blur' },
  ],
};

export interface ItemForm {
  label: string;
  value: string;
  tagType: TagType | '';
  sort: number;
  enabled: boolean;
}

export const createItemForm = (sort = 10): ItemForm => ({ label: '', value: '', tagType: '', sort, enabled: true });

/** The next free sort number after the existing labels (steps of 10 leave room to insert). */
export const nextSort = (items: DictItem[]) => (items.length ? Math.floor(Math.max(...items.map((i) => i.sort)) / 10) * 10 + 10 : 10);

export const itemRules = (checkValuePattern: () => boolean): FormRules<ItemForm> => ({
  label: [
    { required: true, whitespace: true, message: '请输入标签名称', trigger: 'blur' },
    { max: 64, message: '标签名称不能超过 64 个字符', trigger: 'blur' },
  ],
  value: [
    { required: true, whitespace: true, message: '请输入键值', trigger: 'blur' },
    { max: 64, message: '键值不能超过 64 个字符', trigger: 'blur' },
    {
      validator: (_r, v: string, cb) =>
        !checkValuePattern() || DICT_VALUE_PATTERN.test(v.trim()) ? cb() : cb(new Error('键值只能包含字母、数字、下划线和短横线')),
      trigger: 'blur',
    },
  ],
});
