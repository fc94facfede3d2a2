/**
 * The two Velocity engines on npm that API Gateway mapping templates could run on: velocityjs
 * and amplify-velocity-template (AWS Amplify's fork, used to emulate AppSync resolvers). Measures
 * parse and render speed on AWS-shaped templates and tries the sandbox escapes a template author
 * could attempt (constructor chains, prototype access). Prints ops/s per engine and each escape's
 * output; an escape that prints anything but an unrendered reference or an error is a leak.
 *
 *   node bench/micro/velocity-engines.ts [msPerCase=700]
 */
import { createRequire } from 'node:module'
import { Compile, parse } from 'velocityjs'

const msPerCase = Number(process.argv[2] ?? 700)
const amplify = createRequire(import.meta.url)('amplify-velocity-template') as {
  parse(t: string): unknown
  Compile: new (ast: unknown, config: { escape: boolean }) => { render(ctx: Record<string, unknown>): string }
}

/** AWS's "method request passthrough" template: the heaviest one commonly deployed. */
const PASSTHROUGH = `##  See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
#set($allParams = $input.params())
{
"body-json" : $input.json('$'),
"params" : {
#foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
"$type" : {
    #foreach($paramName in $params.keySet())
    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
        #if($foreach.hasNext),#end
    #end
}
    #if($foreach.hasNext),#end
#end
},
"context" : {
    "http-method" : "$context.httpMethod",
    "request-id" : "$context.requestId",
    "resource-path" : "$context.resourcePath"
}
}`

/** The PetStore response template: a loop over a JSONPath result. */
const PETS = `#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "number": $elem.id,
    "class": "$elem.type",
    "salesPrice": $elem.price
  }#if($foreach.hasNext),#end
#end
]`

const body = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'fish', price: 0.99 },
]
const bodyText = JSON.stringify(body)

function context(): Record<string, unknown> {
  const params = new Map<string, Map<string, string>>([
    ['path', new Map([['petId', '1']])],
    ['querystring', new Map([['type', 'dog']])],
    [
      'header',
      new Map([
        ['Accept', 'application/json'],
        ['Host', 'example.test'],
      ]),
    ],
  ])
  // Plain objects with keySet/get, as the gateway's own $input.params() gives the engines.
  const asVtlMap = (m: Map<string, unknown>) => ({
    keySet: () => [...m.keys()],
    get: (k: string) => m.get(k),
  })
  return {
    input: {
      json: () => bodyText,
      path: () => body,
      params: () => asVtlMap(new Map([...params].map(([k, v]) => [k, asVtlMap(v)]))),
    },
    util: { escapeJavaScript: (s: string) => JSON.stringify(String(s)).slice(1, -1) },
    context: { httpMethod: 'POST', requestId: 'r-1', resourcePath: '/pets' },
  }
}

interface Engine {
  name: string
  parse(t: string): unknown
  render(ast: unknown, ctx: Record<string, unknown>): string
}
const engines: Engine[] = [
  {
    name: 'velocityjs',
    parse: (t) => parse(t),
    render: (ast, ctx) => new Compile(ast as ReturnType<typeof parse>, { escape: false }).render(ctx),
  },
  {
    name: 'amplify-velocity-template',
    parse: (t) => amplify.parse(t),
    render: (ast, ctx) => new amplify.Compile(ast, { escape: false }).render(ctx),
  },
]

function opsPerSecond(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn()
  let n = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < msPerCase) {
    for (let i = 0; i < 100; i++) fn()
    n += 100
    elapsed = performance.now() - start
  }
  return Math.round((n / elapsed) * 1000)
}

const ESCAPES: Record<string, string> = {
  getClass: '$foo.getClass()',
  constructorName: '$foo.constructor.name',
  protoRead: '$obj.__proto__',
  arrayFrom: '$list.constructor.from("ab")',
  functionCtor: '#set($F = $fn.constructor)#set($f = $F.call($fn, "return process.pid"))$f.call($fn)',
  objectKeys: '#set($O = $obj.constructor)$O.keys($obj)',
  globals: '$process $globalThis $require $global',
}

for (const engine of engines) {
  const parsePets = opsPerSecond(() => engine.parse(PETS))
  const parsePassthrough = opsPerSecond(() => engine.parse(PASSTHROUGH))
  const petsAst = engine.parse(PETS)
  const passthroughAst = engine.parse(PASSTHROUGH)
  const renderPets = opsPerSecond(() => engine.render(petsAst, context()))
  const renderPassthrough = opsPerSecond(() => engine.render(passthroughAst, context()))
  console.log(
    `${engine.name.padEnd(26)} parse pets ${parsePets} ops/s, parse passthrough ${parsePassthrough} ops/s, render pets ${renderPets} ops/s, render passthrough ${renderPassthrough} ops/s`,
  )
  JSON.parse(engine.render(petsAst, context()))
  JSON.parse(engine.render(passthroughAst, context()))
  for (const [name, template] of Object.entries(ESCAPES)) {
    let out: string
    try {
      out = engine.render(engine.parse(template), {
        foo: 'str',
        list: [1, 2],
        obj: { k: 'v' },
        fn: () => 1,
      })
    } catch (e) {
      out = `error: ${(e as Error).message.split('\n')[0]}`
    }
    console.log(`  escape ${name.padEnd(16)} ${JSON.stringify(out)}`)
  }
}
