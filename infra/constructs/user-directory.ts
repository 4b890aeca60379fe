import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { userPool as description } from '../../shared/resources.ts';

export interface UserDirectoryProps {
  readonly stage: string;
  /**
   * The Plus feature plan with threat protection enforced (priced per monthly active user,
   * so only production turns it on); see `enforceThreatProtection` for what it acts on.
   */
  readonly threatProtection: boolean;
}

/** Easel's users: the Cognito user pool (e-mail as username) and the client the API signs in with. */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);

    this.userPool = new UserPool(this, description.id, {
      userPoolName: `easel-${props.stage}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed address takes effect only once its code is confirmed.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      userVerification: { emailStyle: VerificationEmailStyle.CODE },
      passwordPolicy: { ...description.passwordPolicy, tempPasswordValidity: Duration.days(3) },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Each user may turn on an authenticator app (TOTP); SMS stays off.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      featurePlan: props.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(props.threatProtection && {
        standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      }),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.client = this.userPool.addClient(description.clientId, {
      generateSecret: false,
      authFlows: { userPassword: true },
      // Sign-in is through the API only: no hosted UI, no OAuth flows.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(description.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(description.idTokenValidityMinutes),
      refreshTokenValidity: Duration.days(description.refreshTokenValidityDays),
      // How long a login challenged for the authenticator's code may wait for it.
      authSessionValidity: Duration.minutes(description.authSessionValidityMinutes),
    });

    if (props.threatProtection) this.enforceThreatProtection();

    NagSuppressions.addResourceSuppressions(this.userPool, [
      {
        id: 'AwsSolutions-COG1',
        reason:
          'The password policy is shared/resources.ts (length 8+, upper, lower, digit), the same the local emulator enforces; symbols are not required, following NIST SP 800-63B on composition rules.',
      },
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional: each user may turn on an authenticator app (TOTP) from their account (POST /api/me/mfa/setup); requiring it of everyone would shut out people without one. SMS stays off.',
      },
      ...(props.threatProtection
        ? []
        : [
            {
              id: 'AwsSolutions-COG8',
              reason:
                'Non-production stages stay on the Essentials plan to avoid the Plus plan’s per-user price; production (stage "prod") uses Plus with threat protection.',
            },
          ]),
    ]);
  }

  /**
   * Enforced where it can judge the user: a password found in a breach is refused at
   * sign-up, sign-in and password change, whoever calls. Adaptive authentication only
   * logs its risk levels, acting on none: sign-in runs in the API's Lambda, so Cognito
   * sees Lambda's addresses, shared by many users, and blocking on them would lock out
   * the innocent. Passing the user's address (UserContextData) needs an app client with a
   * secret, which the public auth API does not have.
   */
  private enforceThreatProtection(): void {
    const logOnly = { eventAction: 'NO_ACTION', notify: false };
    new CfnUserPoolRiskConfigurationAttachment(this, 'ThreatProtection', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: {
        actions: { eventAction: 'BLOCK' },
        eventFilter: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
      },
      accountTakeoverRiskConfiguration: {
        actions: { lowAction: logOnly, mediumAction: logOnly, highAction: logOnly },
      },
    });
  }
}
