import type { FormRules } from 'element-plus';
import { PARAM_CODE_PATTERN, type SysParam } from '@cityops/contracts';
import type { SearchField } from '@/components/crud/types';

export interface ParamSearch {
  keyword: string;
}

export const createSearch = (): ParamSearch => ({ keyword: '' });

export const searchFields: SearchField[] = [
  { prop: 'keyword', label: '关键字', type: 'input', placeholder: '参数编码、名称或说明', width: 260, maxlength: 64 },
];

export interface ParamForm {
  code: string;
  name: string;
  value: string;
  /** For integer parameters, edited with a number input. */
  number: number | undefined;
  defaultValue: string;
  description: string;
}

export const createForm = (): ParamForm => ({ code: '', name: '', value: '', number: undefined, defaultValue: '', description: '' });

/** A value with its unit, e.g. '50 MB'. */
export const withUnit = (p: Pick<SysParam, 'unit'>, value: string) => (value !== '' && p.unit ? `${value} ${p.unit}` : value);

export const formRules = (param: () => SysParam | null): FormRules<ParamForm> => ({
  code: [
    { required: true, whitespace: true, message: '请输入参数编码', trigger: 'blur' },
    { max: 64, message: '参数编码不能超过 64 个字符', trigger: 'blur' },
    { pattern: PARAM_CODE_PATTERN, message: '参数编码须以字母开头，只能包含字母、数字、点、下划线和短横线', trigger: 'blur' },
  ],
  name: [
    { required: true, whitespace: true, message: '请输入参数名称', trigger: 'blur' },
    { max: 64, message: '参数名称不能超过 64 个字符', trigger: 'blur' },
  ],
  value: [
    {
      validator: (_r, v: string, cb) => (param()?.builtin && param()?.valueType === 'text' && !v.trim() ? cb(new Error('请输入参数值')) : cb()),
      trigger: 'blur',
    },
    { max: 2000, message: '参数值不能超过 2000 个字符', trigger: 'blur' },
  ],
  number: [
    { validator: (_r, v: number | undefined, cb) => (param()?.valueType === 'integer' && (v === undefined || v === null) ? cb(new Error('请输入参数值')) : cb()), trigger: 'blur' },
  ],
  description: [{ max: 500, message: '说明不能超过 500 个字符', trigger: 'blur' }],
});
