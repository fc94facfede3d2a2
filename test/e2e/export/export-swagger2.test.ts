/**
 * `forcegate export aws` of a Swagger 2.0 document writes the OpenAPI 3 document forcegate
 * serves it as, which API Gateway's importer accepts.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { importerProblems } from '../../../src/export/importer-rules.ts'
import { runCli } from '../../helpers/cli-process.ts'

const API = fileURLToPath(new URL('../../fixtures/swagger2/petstore-swagger.json', import.meta.url))

test('export aws of a Swagger 2.0 export writes its OpenAPI 3 form, importable as it stands', async () => {
  const out = await mkdtemp(join(tmpdir(), 'forcegate-export-'))
  try {
    const run = await runCli(['export', 'aws', '--api', API, '--out', out], 60_000)
    assert.equal(run.code, 0, run.stderr)
    const doc = JSON.parse(await readFile(join(out, 'openapi.json'), 'utf8'))
    assert.equal(doc.openapi, '3.0.1')
    assert.equal(doc.swagger, undefined)
    assert.equal(
      doc.components.securitySchemes.petsAuthorizer['x-amazon-apigateway-authorizer'].type,
      'token',
    )
    assert.deepEqual(doc.paths['/pets'].post.requestBody.content, {
      'application/json': { schema: { $ref: '#/components/schemas/NewPet' } },
    })
    assert.deepEqual(importerProblems(doc), [])
  } finally {
    await rm(out, { recursive: true, force: true })
  }
})
