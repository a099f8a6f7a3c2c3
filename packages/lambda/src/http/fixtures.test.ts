// Size: most of this file is one table, the expected Request of each AWS event fixture, kept whole.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import { eventToRequest } from './adapter'
import { lambdaContext, lambdaHttpEvent, pathParameters, requestContext, stageVariables } from './index'

const FIXTURES = new URL('../../../../test/fixtures/events/', import.meta.url)

function fixture(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'))
}

interface Expected {
  file: string
  source: string
  method: string
  url: string
  headers: [string, string][]
  body: string | null
}

const TABLE: Expected[] = [
  // file, source, method, URL, every header (as Headers iterates them), body (UTF-8 text of the bytes)
  {
    file: 'apigw-v1/apigw-request.json',
    source: 'apigw-v1',
    method: 'POST',
    url: 'https://gy415nuibc.execute-api.us-east-1.amazonaws.com/hello/world?name=me',
    headers: [
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
      ['cache-control', 'no-cache'],
      ['cloudfront-forwarded-proto', 'https'],
      ['cloudfront-is-desktop-viewer', 'true'],
      ['cloudfront-is-mobile-viewer', 'false'],
      ['cloudfront-is-smarttv-viewer', 'false'],
      ['cloudfront-is-tablet-viewer', 'false'],
      ['cloudfront-viewer-country', 'US'],
      ['content-length', '13'],
      ['content-type', 'application/json'],
      ['headername', 'headerValue'],
      ['host', 'gy415nuibc.execute-api.us-east-1.amazonaws.com'],
      ['postman-token', '9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f'],
      ['user-agent', 'PostmanRuntime/2.4.5'],
      ['via', '1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=='],
      ['x-forwarded-for', '54.240.196.186, 54.182.214.83'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: '{\r\n\t"a": 1\r\n}',
  },
  {
    file: 'apigw-v1/apigw_multi_value_proxy_request.json',
    source: 'apigw-v1',
    method: 'POST',
    url: 'https://gy415nuibc.execute-api.us-east-1.amazonaws.com/hello/world?name=me&multiValueName=you&multiValueName=me',
    headers: [
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
      ['cache-control', 'no-cache'],
      ['cloudfront-forwarded-proto', 'https'],
      ['cloudfront-is-desktop-viewer', 'true'],
      ['cloudfront-is-mobile-viewer', 'false'],
      ['cloudfront-is-smarttv-viewer', 'false'],
      ['cloudfront-is-tablet-viewer', 'false'],
      ['cloudfront-viewer-country', 'US'],
      ['content-length', '13'],
      ['content-type', 'application/json'],
      ['headername', 'headerValue'],
      ['host', 'gy415nuibc.execute-api.us-east-1.amazonaws.com'],
      ['postman-token', '9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f'],
      ['user-agent', 'PostmanRuntime/2.4.5'],
      ['via', '1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=='],
      ['x-forwarded-for', '54.240.196.186, 54.182.214.83'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: '{\r\n\t"a": 1\r\n}',
  },
  {
    file: 'apigw-v1/apigw_no_host.json',
    source: 'apigw-v1',
    method: 'GET',
    url: 'http://localhost/hello?name=me',
    headers: [
      ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8'],
      ['accept-encoding', 'gzip, deflate, lzma, sdch, br'],
      ['accept-language', 'en-US,en;q=0.8'],
      ['cloudfront-forwarded-proto', 'https'],
      ['cloudfront-is-desktop-viewer', 'true'],
      ['cloudfront-is-mobile-viewer', 'false'],
      ['cloudfront-is-smarttv-viewer', 'false'],
      ['cloudfront-is-tablet-viewer', 'false'],
      ['cloudfront-viewer-country', 'US'],
      ['upgrade-insecure-requests', '1'],
      [
        'user-agent',
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.82 Safari/537.36 OPR/39.0.2256.48',
      ],
      ['via', '1.1 fb7cca60f0ecd82ce07790c9c5eef16c.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'nBsWBOrSHMgnaROZJK1wGCZ9PcRcSpq_oSXZNQwQ10OTZL4cimZo3g=='],
      ['x-forwarded-for', '192.168.100.1, 192.168.1.1'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'apigw-v1/apigw_proxy_request.json',
    source: 'apigw-v1',
    method: 'GET',
    url: 'https://wt6mne2s9k.execute-api.us-west-2.amazonaws.com/hello?name=me',
    headers: [
      ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8'],
      ['accept-encoding', 'gzip, deflate, lzma, sdch, br'],
      ['accept-language', 'en-US,en;q=0.8'],
      ['cloudfront-forwarded-proto', 'https'],
      ['cloudfront-is-desktop-viewer', 'true'],
      ['cloudfront-is-mobile-viewer', 'false'],
      ['cloudfront-is-smarttv-viewer', 'false'],
      ['cloudfront-is-tablet-viewer', 'false'],
      ['cloudfront-viewer-country', 'US'],
      ['host', 'wt6mne2s9k.execute-api.us-west-2.amazonaws.com'],
      ['upgrade-insecure-requests', '1'],
      [
        'user-agent',
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.82 Safari/537.36 OPR/39.0.2256.48',
      ],
      ['via', '1.1 fb7cca60f0ecd82ce07790c9c5eef16c.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'nBsWBOrSHMgnaROZJK1wGCZ9PcRcSpq_oSXZNQwQ10OTZL4cimZo3g=='],
      ['x-forwarded-for', '192.168.100.1, 192.168.1.1'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'apigw-v1/example-apigw-sam-rest-request.json',
    source: 'apigw-v1',
    method: 'GET',
    url: 'http://127.0.0.1:3000/test',
    headers: [
      [
        'accept',
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      ],
      ['accept-encoding', 'gzip, deflate, br'],
      ['accept-language', 'en-GB,en-US;q=0.9,en;q=0.8'],
      ['cache-control', 'max-age=0'],
      ['connection', 'keep-alive'],
      ['host', '127.0.0.1:3000'],
      ['sec-ch-ua', '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"'],
      ['sec-ch-ua-mobile', '?0'],
      ['sec-ch-ua-platform', '"macOS"'],
      ['sec-fetch-dest', 'document'],
      ['sec-fetch-mode', 'navigate'],
      ['sec-fetch-site', 'none'],
      ['sec-fetch-user', '?1'],
      ['upgrade-insecure-requests', '1'],
      [
        'user-agent',
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ],
      ['x-forwarded-port', '3000'],
      ['x-forwarded-proto', 'http'],
    ],
    body: null,
  },
  {
    file: 'apigw-v2/apigw-v2-request-jwt-authorizer.json',
    source: 'apigw-v2',
    method: 'GET',
    url: 'https://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['cookie', 'cookie1; cookie2'],
      ['header1', 'value1'],
      ['header2', 'value2'],
    ],
    body: null,
  },
  {
    file: 'apigw-v2/apigw-v2-request-no-authorizer.json',
    source: 'apigw-v2',
    method: 'GET',
    url: 'https://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/',
    headers: [
      ['accept', '*/*'],
      ['content-length', '0'],
      ['host', 'aaaaaaaaaa.execute-api.us-west-2.amazonaws.com'],
      ['user-agent', 'curl/7.58.0'],
      ['x-amzn-trace-id', 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c'],
      ['x-forwarded-for', '1.2.3.4'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'apigw-v2/apigw_request_path_with_space.json',
    source: 'apigw-v2',
    method: 'POST',
    url: 'https://id.execute-api.us-east-1.amazonaws.com/my/path-with%20space?parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['content-length', '17'],
      ['cookie', 'cookie1=value1; cookie2=value2'],
      ['header1', 'value1'],
      ['header2', 'value2'],
    ],
    body: 'Hello from Lambda',
  },
  {
    file: 'apigw-v2/apigw_v2_proxy_request.json',
    source: 'apigw-v2',
    method: 'POST',
    url: 'https://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['content-length', '17'],
      ['cookie', 'cookie1=value1; cookie2=value2'],
      ['header1', 'value1'],
      ['header2', 'value2'],
    ],
    body: 'Hello from Lambda',
  },
  {
    file: 'apigw-v2/apigw_v2_proxy_request_minimal.json',
    source: 'apigw-v2',
    method: 'GET',
    url: 'https://xxx.execute-api.us-east-1.amazonaws.com/',
    headers: [
      ['accept', '*/*'],
      ['content-length', '0'],
      ['host', 'xxx.execute-api.us-east-1.amazonaws.com'],
      ['user-agent', 'curl/7.64.1'],
      ['x-amzn-trace-id', 'Root=1-5eb33c07-de25b420912dee103a5db434'],
      ['x-forwarded-for', '65.78.31.245'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'apigw-v2/apigw_v2_proxy_request_with_stage_in_path.json',
    source: 'apigw-v2',
    method: 'POST',
    url: 'https://id.execute-api.us-east-1.amazonaws.com/Prod/my/path?parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['content-length', '17'],
      ['cookie', 'cookie1=value1; cookie2=value2'],
      ['header1', 'value1'],
      ['header2', 'value2'],
    ],
    body: 'Hello from Lambda',
  },
  {
    file: 'apigw-v2/apigw_v2_sam_local.json',
    source: 'apigw-v2',
    method: 'GET',
    url: 'http://127.0.0.1:3000/hello',
    headers: [
      ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'],
      ['accept-encoding', 'gzip, deflate'],
      ['accept-language', 'en-US,en;q=0.5'],
      ['cache-control', 'max-age=0'],
      ['connection', 'keep-alive'],
      ['host', '127.0.0.1:3000'],
      ['sec-fetch-dest', 'document'],
      ['sec-fetch-mode', 'navigate'],
      ['sec-fetch-site', 'none'],
      ['sec-fetch-user', '?1'],
      ['upgrade-insecure-requests', '1'],
      ['user-agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:94.0) Gecko/20100101 Firefox/94.0'],
      ['x-forwarded-port', '3000'],
      ['x-forwarded-proto', 'http'],
    ],
    body: null,
  },
  {
    file: 'alb/alb-lambda-target-request-headers-only.json',
    source: 'alb',
    method: 'GET',
    url: 'http://lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com/?key=hello',
    headers: [
      ['accept', '*/*'],
      ['connection', 'keep-alive'],
      ['host', 'lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com'],
      ['user-agent', 'curl/7.54.0'],
      ['x-amzn-trace-id', 'Root=1-5c34e93e-4dea0086f9763ac0667b115a'],
      ['x-forwarded-for', '25.12.198.67'],
      ['x-forwarded-port', '80'],
      ['x-forwarded-proto', 'http'],
      ['x-imforwards', '20'],
      ['x-myheader', '123'],
    ],
    body: null,
  },
  {
    file: 'alb/alb-lambda-target-request-multivalue-headers.json',
    source: 'alb',
    method: 'GET',
    url: 'http://lambda-test-alb-1234567.us-east-1.elb.amazonaws.com/?key=hello',
    headers: [
      ['accept', '*/*'],
      ['connection', 'keep-alive'],
      ['host', 'lambda-test-alb-1234567.us-east-1.elb.amazonaws.com'],
      ['user-agent', 'curl/7.54.0'],
      ['x-amzn-trace-id', 'Root=1-5c34e7d4-00ca239424b68028d4c56d68'],
      ['x-forwarded-for', '72.21.198.67'],
      ['x-forwarded-port', '80'],
      ['x-forwarded-proto', 'http'],
      ['x-imforwards', '20'],
      ['x-myheader', '123'],
    ],
    body: null,
  },
  {
    file: 'alb/alb_health_check.json',
    source: 'alb',
    method: 'GET',
    url: 'http://localhost/',
    headers: [['user-agent', 'ELB-HealthChecker/2.0']],
    body: null,
  },
  {
    file: 'alb/alb_multi_value_request_encoded_query_parameters.json',
    source: 'alb',
    method: 'GET',
    url: 'https://lambda-846800462-us-east-2.elb.amazonaws.com/?myKey=%3FshowAll%3Dtrue&myKey=%3FshowAll%3Dfalse',
    headers: [
      ['accept', 'text/html,application/xhtml+xml'],
      ['accept-language', 'en-US,en;q=0.8'],
      ['content-type', 'text/plain'],
      ['cookie', 'name1=value1; name2=value2'],
      ['host', 'lambda-846800462-us-east-2.elb.amazonaws.com'],
      ['user-agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)'],
      ['x-amzn-trace-id', 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520'],
      ['x-forwarded-for', '72.21.198.66'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'alb/alb_no_host.json',
    source: 'alb',
    method: 'GET',
    url: 'http://localhost/v1/health/',
    headers: [['user-agent', 'ELB-HealthChecker/2.0']],
    body: null,
  },
  {
    file: 'alb/alb_request_encoded_query_parameters.json',
    source: 'alb',
    method: 'GET',
    url: 'https://lambda-846800462-us-east-2.elb.amazonaws.com/?myKey=%3FshowAll%3Dtrue',
    headers: [
      ['accept', 'text/html,application/xhtml+xml'],
      ['accept-language', 'en-US,en;q=0.8'],
      ['content-type', 'text/plain'],
      ['cookie', 'cookies'],
      ['host', 'lambda-846800462-us-east-2.elb.amazonaws.com'],
      ['user-agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)'],
      ['x-amzn-trace-id', 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520'],
      ['x-forwarded-for', '72.21.198.66'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'function-url/function-url-domain-only-request-with-base64-encoded-body.json',
    source: 'function-url',
    method: 'POST',
    url: 'https://lambda-url-id.lambda-url.us-west-2.on.aws/',
    headers: [
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
      ['content-length', '6'],
      ['content-type', 'idk'],
      ['host', 'lambda-url-id.lambda-url.us-west-2.on.aws'],
      ['user-agent', 'python-requests/2.28.2'],
      ['x-amz-content-sha256', '0ab2082273499eaa495f2196e32d8c794745e58a20a0c93182c59d2165432839'],
      ['x-amz-date', '20230418T170147Z'],
      ['x-amz-security-token', 'security-token'],
      ['x-amzn-tls-cipher-suite', 'ECDHE-RSA-AES128-GCM-SHA256'],
      ['x-amzn-tls-version', 'TLSv1.2'],
      ['x-amzn-trace-id', 'Root=1-643eccfb-7fdecb844a12b4b45645132d'],
      ['x-forwarded-for', '127.0.0.1'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: '<idk/>',
  },
  {
    file: 'function-url/function-url-request-with-headers-and-cookies-and-text-body.json',
    source: 'function-url',
    method: 'POST',
    url: 'https://lambda-url-id.lambda-url.us-west-2.on.aws/hello?hello=world&foo=bar',
    headers: [
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
      ['content-length', '18'],
      ['content-type', 'application/json'],
      ['cookie', 'foo=bar; hello=hello'],
      ['header1', 'h1'],
      ['header2', 'h1,h2'],
      ['header3', 'h3'],
      ['host', 'lambda-url-id.lambda-url.us-west-2.on.aws'],
      ['user-agent', 'python-requests/2.28.2'],
      ['x-amz-content-sha256', '5f8f04f6a3a892aaabbddb6cf273894493773960d4a325b105fee46eef4304f1'],
      ['x-amz-date', '20230418T170146Z'],
      ['x-amz-security-token', 'security-token'],
      ['x-amzn-tls-cipher-suite', 'ECDHE-RSA-AES128-GCM-SHA256'],
      ['x-amzn-tls-version', 'TLSv1.2'],
      ['x-amzn-trace-id', 'Root=1-643eccfa-2c6028925c2b249524664087'],
      ['x-forwarded-for', '127.0.0.1'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: '{"hello": "world"}',
  },
  {
    file: 'function-url/lambda_function_url_request.json',
    source: 'function-url',
    method: 'GET',
    url: 'https://id.lambda-url.eu-west-2.on.aws/my/path?parameter1=value1&parameter1=value2&parameter2=value',
    headers: [
      ['accept', '*/*'],
      ['cookie', 'test=hi'],
      ['host', 'id.lambda-url.eu-west-2.on.aws'],
      ['user-agent', 'curl/7.68.0'],
      ['x-amzn-tls-cipher-suite', 'ECDHE-RSA-AES128-GCM-SHA256'],
      ['x-amzn-tls-version', 'TLSv1.2'],
      ['x-amzn-trace-id', 'Root=1-5eb33c07-de25b420912dee103a5db434'],
      ['x-forwarded-for', '65.78.31.245'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
  {
    file: 'websocket/apigw-websocket-request-disconnect.json',
    source: 'websocket',
    method: 'GET',
    url: 'https://dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com/$disconnect',
    headers: [
      ['host', 'dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com'],
      ['x-api-key', ''],
      ['x-forwarded-for', ''],
      ['x-restapi', ''],
    ],
    body: null,
  },
  {
    file: 'websocket/apigw-websocket-request-send-message.json',
    source: 'websocket',
    method: 'POST',
    url: 'https://dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com/$default',
    headers: [['content-length', '13']],
    body: '{\r\n\t"a": 1\r\n}',
  },
  {
    file: 'websocket/apigw-websocket-request.json',
    source: 'websocket',
    method: 'POST',
    url: 'https://*.execute-api.eu-central-1.amazonaws.com/$connect?name=me',
    headers: [
      ['accept', '*/*'],
      ['accept-encoding', 'gzip, deflate'],
      ['cache-control', 'no-cache'],
      ['cloudfront-forwarded-proto', 'https'],
      ['cloudfront-is-desktop-viewer', 'true'],
      ['cloudfront-is-mobile-viewer', 'false'],
      ['cloudfront-is-smarttv-viewer', 'false'],
      ['cloudfront-is-tablet-viewer', 'false'],
      ['cloudfront-viewer-country', 'US'],
      ['content-length', '13'],
      ['content-type', 'application/json'],
      ['headername', 'headerValue'],
      ['host', '*.execute-api.eu-central-1.amazonaws.com'],
      ['postman-token', '9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f'],
      ['sec-websocket-extensions', 'permessage-deflate; client_max_window_bits'],
      ['sec-websocket-key', '*'],
      ['sec-websocket-version', '13'],
      ['user-agent', 'PostmanRuntime/2.4.5'],
      ['via', '1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)'],
      ['x-amz-cf-id', 'pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A=='],
      ['x-amzn-trace-id', 'Root=*'],
      ['x-forwarded-for', '*.*.*.*'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: '{\r\n\t"a": 1\r\n}',
  },
  {
    file: 'websocket/example-apigw-websocket-request-without-method.json',
    source: 'websocket',
    method: 'GET',
    url: 'https://asdfasdf.execute-api.us-west-2.amazonaws.com/$connect',
    headers: [
      ['host', 'asdfasdf.execute-api.us-west-2.amazonaws.com'],
      ['sec-websocket-key', 'asdfasdf=='],
      ['sec-websocket-version', '13'],
      ['x-amzn-trace-id', 'Root=1-asdf-asdfasdf'],
      ['x-api-key', 'asdfasdf'],
      ['x-forwarded-for', '10.0.0.13'],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ],
    body: null,
  },
]

describe('every HTTP fixture converts to the expected Request', () => {
  it.each(TABLE)('$file', async (want) => {
    const context = mockContext()
    const payload = fixture(want.file)
    const converted = eventToRequest({ payload: payload as never, context })
    if (!('request' in converted)) throw new Error(converted.message)
    const req = converted.request
    expect(req).toBeInstanceOf(Request)
    expect(converted.parsed.source).toBe(want.source)
    expect(req.method).toBe(want.method)
    expect(req.url).toBe(want.url)
    expect([...req.headers]).toEqual(want.headers)
    if (want.body === null) {
      expect(req.body).toBeNull()
    } else {
      expect(Buffer.from(await req.arrayBuffer()).toString('utf8')).toBe(want.body)
    }
    expect(lambdaContext(req)).toBe(context)
    expect(lambdaHttpEvent(req)).toBe(payload)
    expect(requestContext(req)).toBe((payload as { requestContext: unknown }).requestContext)
  })

  it('lambda-urls-request.json has a placeholder domain (<url-id>) that is no valid host: a 400', () => {
    const converted = eventToRequest({
      payload: fixture('function-url/lambda-urls-request.json') as never,
      context: mockContext(),
    })
    expect('request' in converted).toBe(false)
    expect(converted).toMatchObject({ source: 'function-url', message: 'the event does not make a valid URL' })
  })

  it('exposes path parameters and stage variables', () => {
    const converted = eventToRequest({
      payload: fixture('apigw-v1/apigw-request.json') as never,
      context: mockContext(),
    })
    if (!('request' in converted)) throw new Error(converted.message)
    expect(pathParameters(converted.request)).toEqual({ proxy: 'hello/world' })
    expect(stageVariables(converted.request)).toEqual({ stageVariableName: 'stageVariableValue' })
    expect(requestContext(converted.request)).toMatchObject({
      authorizer: { principalId: 'admin' },
      stage: 'testStage',
    })
  })

  it('the base64 Function URL body arrives as the decoded bytes', async () => {
    const converted = eventToRequest({
      payload: fixture('function-url/function-url-domain-only-request-with-base64-encoded-body.json') as never,
      context: mockContext(),
    })
    if (!('request' in converted)) throw new Error(converted.message)
    expect([...new Uint8Array(await converted.request.arrayBuffer())]).toEqual([0x3c, 0x69, 0x64, 0x6b, 0x2f, 0x3e])
  })
})
