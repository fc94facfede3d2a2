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
    [
      'getClass on every gateway variable',
      '$input.getClass()$context.getClass()$util.getClass()$stageVariables.getClass()',
    ],
    ['class property', '$input.class.forName("java.lang.Runtime")$context.class$util.class.name'],
    ['function read as a value', '#set($f = $input.json)$f$f.call($input, "$")$f.apply($input, ["$"])'],
    [
      'constructor through a payload map',
      '#set($m = $input.path(\'$\'))$m.constructor.constructor("return process")()',
    ],
    [
      'prototype of a payload list',
      "#set($l = $input.path('$.l'))$l.__proto__$l.prototype$l.__defineGetter__",
    ],
    [
      'the class behind $input',
      '$input.constructor.METHODS$input.constructor.name$input.__proto__.constructor',
    ],
    ['a gateway function called on another object', '#set($m = {"body": "x"})$input.json.apply($m, ["$"])'],
    ['macro named constructor', '#constructor("return process")x#end'],
    ['macro named toString', '#toString()'],
    ['macro named __proto__', '#__proto__()'],
    ['macro named hasOwnProperty', '#hasOwnProperty("stop")y#end'],
    ['velocityjs #eval of the payload', '#eval($input.body)'],
    ['#evaluate of the payload', '#evaluate($input.body)'],
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

  test('nothing inherited is readable: no JavaScript function or prototype property prints', () => {
    const out = render(
      "#set($l = $input.path('$.l'))#set($s = $input.path('$.s'))#set($m = $input.path('$'))" +
        '[$l.map][$s.charAt][$m.hasOwnProperty][$l.toString][$m.valueOf][$l.map.name][$l.length][$s.length][$l[-1]][$s[0]]' +
        '#set($f = $l.filter)[$f]#foreach($x in $l.map)[$x]#end',
      '{"l":[1],"s":"ab"}',
    )
    assert.equal(out, '[][][][][][][][][][][]')
  })

  test('#set reaches no prototype: not through constructor, prototype, __proto__ or a method call', () => {
    render(
      '#set($m = {})#set($m.constructor.prototype.polluted = "yes")#set($l = [])#set($l.__proto__.polluted = "yes")' +
        '#set($input.path(\'$\').constructor.prototype.polluted = "yes")#set($x.prototype.polluted = "yes")',
      '{"a":1}',
    )
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.equal(([] as unknown as Record<string, unknown>).polluted, undefined)
  })

  test('a payload with a __proto__ key stays data', () => {
    const out = render(
      "#set($m = $util.parseJson($input.body))$m.polluted|$m.get('__proto__')|#set($n = $input.path('$'))$n.polluted",
      '{"__proto__": {"polluted": "yes"}}',
    )
    assert.doesNotMatch(out, /yes\|.*yes$/)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  test('the shared $util cannot be changed by a template', () => {
    assert.equal(
      render(
        '#set($util.escapeJavaScript = "x")#set($util.base64Encode.x = 1)$util.escapeJavaScript("a\'b")',
      ),
      "a\\'b",
    )
  })

  test('a body written as a template renders as text, never as a template', () => {
    const body = '#set($x = 5)$x $input.json.constructor'
    assert.equal(render("$input.body|$input.path('$')", body), `${body}|${body}`)
  })

  test('a macro that calls itself without end fails the render, not the process', () => {
    assert.throws(() => render('#macro(f)#f()#end#f()'), TemplateRenderError)
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
