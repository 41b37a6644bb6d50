import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { setTimeout } from "node:timers/promises";

const sns = new SNSClient({});

// Sends a reminder ten minutes after the cart was abandoned.
export const handler = async (event) => {
  await setTimeout(600000);
  await sns.send(new PublishCommand({ TopicArn: process.env.REMINDERS_TOPIC_ARN, Message: JSON.stringify({ cartId: event.cartId }) }));
  return { reminded: true };
};
