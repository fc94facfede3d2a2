import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileMappingTemplate } from '../../../../src/integrations/mapping/mapping-template.ts'
import { render } from './helpers.ts'

describe('Velocity as API Gateway runs it', () => {
  test('#foreach with $foreach.hasNext, #set and #if/#elseif/#else', () => {
    assert.equal(render('#foreach($x in [1, 2, 3])$x#if($foreach.hasNext),#end#end'), '1,2,3')
    assert.equal(render('#set($a = "b")#if($a == "a")A#elseif($a == "b")B#else C#end'), 'B')
    assert.equal(render('#foreach($x in ["a"])$foreach.index$foreach.count$velocityCount#end'), '011')
  })

  test('Java string methods', () => {
    assert.equal(
      render(
        '#set($s = "Hello, World")$s.length() $s.toUpperCase() $s.substring(0, 5) $s.indexOf("o") $s.contains("World") $s.replace("l", "L") $s.replaceAll("[aeiou]", "_") $s.matches("H.*d") $s.startsWith("He") $s.split(", ").size()',
      ),
      '12 HELLO, WORLD Hello 4 true HeLLo, WorLd H_ll_, W_rld true true 2',
    )
    assert.equal(
      render('#set($s = "  x ")[$s.trim()] $s.isEmpty() $s.equalsIgnoreCase("  X ")'),
      '[x] false true',
    )
  })

  test('lists and maps have the Java collection methods and print as Java does', () => {
    assert.equal(
      render(
        '#set($l = [])#set($d = $l.add("a"))#set($d = $l.add("b"))$l $l.size() $l.get(1) $l.contains("a")',
      ),
      '[a, b] 2 b true',
    )
    assert.equal(
      render('#set($m = {"k": "v"})#set($d = $m.put("n", 2))$m $m.keySet() $m.containsKey("n") $m.get("k")'),
      '{k=v, n=2} [k, n] true v',
    )
    assert.equal(
      render("#set($r = $input.path('$'))#foreach($e in $r.entrySet())$e.key=$e.value;#end", '{"a":1,"b":2}'),
      'a=1;b=2;',
    )
  })

  test('a null reference renders as nothing', () => {
    assert.equal(render("[$nothing][$input.path('$.missing')][$!quiet]", '{"a":1}'), '[][][]')
  })

  test('a template that does not parse fails start-up naming file, pointer and the line in the template', () => {
    assert.throws(
      () =>
        compileMappingTemplate('{\n  "a": 1,\n  #foreach(\n}', {
          file: 'openapi.yaml',
          pointer: '/paths/~1pets/get/x-amazon-apigateway-integration/requestTemplates/application~1json',
        }),
      (e: Error) => {
        assert.equal(e.name, 'ConfigError')
        assert.match(
          e.message,
          /^openapi\.yaml: \/paths\/~1pets\/get\/x-amazon-apigateway-integration\/requestTemplates\/application~1json: expected a mapping template that parses; line 3 of the template: /,
        )
        return true
      },
    )
  })
})
