// Reads a Parquet file written by upliftctl with hyparquet, a second, pure-JavaScript Parquet implementation
// (not DuckDB), and checks it against expectations:
//   --parquet F             the file to check
//   --csv G                 a CSV of the same table written by upliftctl: every row and value must match
//   --types a:BIGINT,b:...  expected logical types of some columns
//   --rows N                expected row count
//   --kv KEY                a key that must be present in the key-value metadata
// Exits 0 when every check passes, 1 with a message otherwise.
// The packages live in the download cache (UPLIFT_NODE_MODULES), not in the repository.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const modules = process.env.UPLIFT_NODE_MODULES
if (!modules) { console.error('parquet_check: set UPLIFT_NODE_MODULES to the node_modules holding hyparquet'); process.exit(2) }
const load = (path) => import(pathToFileURL(join(modules, path)).href)
const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await load('hyparquet/src/node.js')
const { compressors } = await load('hyparquet-compressors/src/index.js')

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]])
  return acc
}, []))
const fail = (msg) => { console.error(`parquet_check: ${args.parquet}: ${msg}`); process.exit(1) }

function typeOf(el) {
  const lt = el.logical_type?.type
  if (el.type === 'BOOLEAN') return 'BOOLEAN'
  if (el.type === 'DOUBLE') return 'DOUBLE'
  if (el.type === 'INT32' && (lt === 'DATE' || el.converted_type === 'DATE')) return 'DATE'
  if (el.type === 'INT64' && (lt === 'TIMESTAMP' || String(el.converted_type).startsWith('TIMESTAMP'))) return 'TIMESTAMP'
  if (el.type === 'INT64') return 'BIGINT'
  if (el.type === 'BYTE_ARRAY' && (lt === 'STRING' || el.converted_type === 'UTF8')) return 'VARCHAR'
  return `${el.type}/${lt ?? el.converted_type}`
}

function parseCsv(text) {
  const rows = []
  let row = [], field = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ }
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = '' }
    else if (c !== '\r') field += c
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row) }
  return rows
}

const file = await asyncBufferFromFile(args.parquet)
const metadata = await parquetMetadataAsync(file)
const schema = parquetSchema(metadata)
const types = Object.fromEntries(schema.children.map(c => [c.element.name, typeOf(c.element)]))
const rows = await parquetReadObjects({ file, compressors })
const codecs = new Set(metadata.row_groups.flatMap(g => g.columns.map(c => c.meta_data.codec)))
if (!codecs.has('ZSTD')) fail(`expected zstd compression, found ${[...codecs].join(',')}`)
if (args.rows !== undefined && rows.length !== Number(args.rows)) fail(`${rows.length} rows, expected ${args.rows}`)
for (const spec of (args.types ?? '').split(',').filter(Boolean)) {
  const [name, type] = spec.split(':')
  if (types[name] !== type) fail(`column ${name} is ${types[name]}, expected ${type}`)
}
if (args.kv !== undefined && !(metadata.key_value_metadata ?? []).some(kv => kv.key === args.kv)) {
  fail(`no key-value metadata ${args.kv}`)
}
if (args.csv !== undefined) {
  const csv = parseCsv(readFileSync(args.csv, 'utf8'))
  const header = csv.shift()
  const names = schema.children.map(c => c.element.name)
  if (header.join('|') !== names.join('|')) fail(`columns ${names} differ from the CSV's ${header}`)
  if (csv.length !== rows.length) fail(`${rows.length} rows, the CSV has ${csv.length}`)
  const same = (v, text, type) => {
    if (v === null || v === undefined) return text === ''
    if (type === 'DOUBLE') return Math.abs(v - Number(text)) <= 1e-12 * Math.max(1, Math.abs(v))
    if (type === 'BIGINT') return BigInt(v) === BigInt(text)
    if (type === 'BOOLEAN') return String(v) === text
    if (type === 'DATE') return v.toISOString().slice(0, 10) === text
    return String(v) === text
  }
  rows.forEach((r, i) => names.forEach((n, j) => {
    if (!same(r[n], csv[i][j], types[n])) fail(`row ${i + 1}, column ${n}: parquet ${r[n]} vs csv ${csv[i][j]}`)
  }))
}
console.log(`parquet_check: ${args.parquet}: ${rows.length} rows, ${schema.children.length} columns OK`)
