import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileVtl, TemplateRenderError } from '../../../../src/integrations/mapping/vtl-engine.ts'
import { render } from './helpers.ts'

describe('the template sandbox', () => {
  const escapes: [string, string][] = [
    ['constructor chain on a string', '$input.body.constructor.constructor("return process")()'],
    ['constructor name', '#set($s = "x")$s.constructor.name'],
    ['Array.from through a list constructor', '#set($l = [1])$l.constructor.from("ab")'],
    ['prototype read', '#set($m = {})$m.__proto__'],
    ['getter of __proto__', '#set($m = {})#set($g = $m.__lookupGetter__("__proto__"))$g.call($m)'],
    ['Function.call on a gateway function', '$input.json.call($input, "$")'],
    [
      'Function constructor via call',
      '#set($F = $input.json.constructor)#set($f = $F.call($F, "return process.pid"))$f.call()',
    ],
    ['Java getClass', '$input.body.getClass().forName("java.lang.Runtime")'],
    ['Node globals', '$process$globalThis$require$global$Buffer$module'],
    ['util internals', '$util.constructor$util.base64Encode.constructor'],
  ]
  for (const [name, template] of escapes) {
    test(`reaches nothing: ${name}`, () => {
      let out: string
      try {
        out = render(template, '{"a":1}')
      } catch (e) {
        assert.ok(e instanceof TemplateRenderError || (e as Error).name === 'ConfigError', String(e))
        return
      }
      assert.doesNotMatch(out, /\d{2,}|function|process|String|\[a, b\]|\{\}|\[object/)
    })
  }

  test('prototype pollution through #set leaves Object.prototype alone', () => {
    render('#set($m = {})#set($m.__proto__.polluted = "yes")#set($x = $m.put("__proto__", {"polluted": 1}))')
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  test('a #foreach stops at 1,000 iterations, as API Gateway limits it', () => {
    assert.equal(render('#foreach($i in [1..1000])#end'), '')
    assert.throws(() => render('#foreach($i in [1..1001])x#end'), TemplateRenderError)
    const big = JSON.stringify(Array.from({ length: 1001 }, (_, i) => i))
    assert.throws(() => render("#foreach($i in $input.path('$'))x#end", big), TemplateRenderError)
  })

  test('one render does not see what another set', () => {
    const t = compileVtl('#if($seen)seen#end#set($seen = true)')
    assert.equal(t.render({}), '')
    assert.equal(t.render({}), '')
  })
})
