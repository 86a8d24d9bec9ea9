// Apache Axis 1.4 stubs (WSDL2Java -W) meeting a throttle rule: the call must fail with an
// AxisFault whose fault code is Server.ServiceUnavailable, the code the legacy MTurk Java SDK
// retried on, over HTTP 503.
//
//   java -cp <axis jars>:classes Faults --endpoint http://127.0.0.1:PORT --access-key AK --secret SK
//
// Built with Scenario.java (signing) by `build.sh WSDL OUT Faults.java Scenario.java`. The caller
// has added the rule. Prints "PASS …" or "FAIL …" lines and exits 1 on a failure.

import java.net.URL;
import java.util.Calendar;
import java.util.TimeZone;
import javax.xml.namespace.QName;

import org.apache.axis.AxisFault;
import org.apache.axis.client.Stub;
import org.apache.axis.transport.http.HTTPConstants;

import turkstand.axis.*;

public final class Faults {
    static String arg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        String base = arg(args, "--endpoint").replaceAll("/+$", "");
        String key = arg(args, "--access-key");
        String secret = arg(args, "--secret");
        AWSMechanicalTurkRequesterPortType port = new AWSMechanicalTurkRequesterLocator()
            .getAWSMechanicalTurkRequesterPort(new URL(base + "/?Service=" + Scenario.SERVICE));
        GetAccountBalance body = new GetAccountBalance();
        Calendar now = Calendar.getInstance(TimeZone.getTimeZone("GMT"));
        body.setAWSAccessKeyId(key);
        body.setTimestamp(now);
        body.setSignature(Scenario.sign(secret, "GetAccountBalance", Scenario.axisDateTime(now)));
        body.setRequest(new GetAccountBalanceRequest[] {new GetAccountBalanceRequest()});
        try {
            port.getAccountBalance(body);
            System.out.println("FAIL the throttled call was answered");
            System.exit(1);
        } catch (AxisFault fault) {
            QName code = fault.getFaultCode();
            Object status = ((Stub) port)._getCall().getMessageContext()
                .getProperty(HTTPConstants.MC_HTTP_STATUS_CODE);
            boolean ok = "Server.ServiceUnavailable".equals(code.getLocalPart())
                && Integer.valueOf(503).equals(status);
            System.out.println((ok ? "PASS" : "FAIL") + " AxisFault " + code + " over HTTP " + status
                + ": " + fault.getFaultString());
            System.exit(ok ? 0 : 1);
        }
    }
}
