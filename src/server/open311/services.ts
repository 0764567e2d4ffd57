// Services are the leaf categories of the reference data; a service's group is its top-level
// branch. Every service has the same definition: one informational attribute saying what we
// require and keep, and one real, optional attribute (the district), which helps routing.
import { pinyinKeys } from '../../shared/pinyin'
import type { Category, ReferenceData } from '../../shared/reference'
import { list, type Value } from './document'

export const MAX_DESCRIPTION = 4000

export interface ServiceInfo {
  category: Category
  /** The branch from the top level down to the leaf itself. */
  path: Category[]
}

export interface Services {
  list: ServiceInfo[]
  byCode: ReadonlyMap<string, ServiceInfo>
  /** Display names of every category (tickets may carry a non-leaf or retired one). */
  names: ReadonlyMap<string, string>
  districts: ReadonlySet<string>
  definitionAttributes: Value
}

const cache = new WeakMap<ReferenceData, Services>()

const keyword = (s: string) => s.replace(/[,，]/g, ' ').trim()

export function servicesOf(ref: ReferenceData): Services {
  const hit = cache.get(ref)
  if (hit) return hit
  const byCodeAll = new Map(ref.categories.map((c) => [c.code, c]))
  const parents = new Set(ref.categories.map((c) => c.parent).filter((p) => p != null))
  const leaves: ServiceInfo[] = []
  for (const c of ref.categories) {
    if (parents.has(c.code) || !c.active) continue
    const path: Category[] = [c]
    for (let p = c.parent; p != null;) {
      const parent = byCodeAll.get(p)
      if (!parent || path.includes(parent)) break
      path.unshift(parent)
      p = parent.parent
    }
    if (path.every((x) => x.active)) leaves.push({ category: c, path })
  }
  leaves.sort((a, b) => a.category.code.localeCompare(b.category.code))
  const out: Services = {
    list: leaves,
    byCode: new Map(leaves.map((s) => [s.category.code, s])),
    names: new Map(ref.categories.map((c) => [c.code, c.name])),
    districts: new Set(ref.districts.map((d) => d.code)),
    definitionAttributes: definitionAttributes(ref),
  }
  cache.set(ref, out)
  return out
}

export function serviceDocument(s: ServiceInfo): Value {
  const c = s.category
  const top = s.path[0]!
  const words = new Set<string>()
  for (const x of [...s.path].reverse()) {
    words.add(keyword(x.name))
    words.add(keyword(x.nameEn))
  }
  words.add(pinyinKeys(c.name).full)
  return {
    service_code: c.code,
    service_name: c.name,
    description: `${s.path.map((x) => x.name).join(' > ')}（${c.nameEn}）。提交时须填写问题描述 description（A description is required）。`,
    // Every service has a definition worth reading: what is required, and the district.
    metadata: true,
    type: 'realtime',
    keywords: [...words].filter(Boolean).join(', '),
    group: top.name,
  }
}

function definitionAttributes(ref: ReferenceData): Value {
  return list('attribute', [
    {
      variable: false,
      code: 'DESCRIPTION_REQUIRED',
      datatype: 'text',
      required: false,
      datatype_description: null,
      order: 1,
      description:
        `请在 description 中写明问题的具体情况，必填，最多 ${MAX_DESCRIPTION} 字。` +
        '姓名和电话只用于回访，从不公开；email、device_id、account_id 不保存。' +
        ` (description is required, up to ${MAX_DESCRIPTION} characters. Names and phone` +
        ' numbers are kept for the callback only and never published; email, device_id and' +
        ' account_id are not kept.)',
    },
    {
      variable: true,
      code: 'DISTRICT',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: '行政区划代码（administrative division code）',
      order: 2,
      description:
        '问题所在的区（县）；有助于派给正确的承办单位。(The district the problem is in.)',
      values: list(
        'value',
        ref.districts.map((d) => ({ key: d.code, name: d.name })),
      ),
    },
  ])
}

export const definitionDocument = (services: Services, code: string): Value => ({
  service_code: code,
  attributes: services.definitionAttributes,
})
