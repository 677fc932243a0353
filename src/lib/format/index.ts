// format/: pure rendering of CLI output (tables, --format templates, --quiet, inspect JSON). No I/O.
export { renderList, listFormat, type ListOptions } from './list.js'
export { renderInspect } from './inspect.js'
export { tabwrite, renderTable, DOCKER_TABS, type TabOptions } from './table.js'
export { goJSON, type GoJSONOptions } from './json.js'
export { displayWidth } from './width.js'
export { compileTemplate, TemplateError, type TemplateOptions, type MissingKey } from './template/index.js'
export * from './nodes.js'
export * from './units.js'
