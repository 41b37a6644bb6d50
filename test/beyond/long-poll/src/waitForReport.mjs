import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Up to 40 checks ten seconds apart: 400 s of waiting in all.
export const handler = async (event) => {
  let ready = false;
  let checks = 0;
  while (!ready && checks < 40) {
    await sleep(10000);
    const { Item } = await ddb.send(new GetCommand({ TableName: process.env.REPORTS_TABLE, Key: { reportId: event.reportId } }));
    ready = Item.ready;
    checks = checks + 1;
  }
  return { ready };
};
