/** A Deployment + Service + Ingress manifest, as a deploy renders it, for the fidelity tests. */
export function webManifest(input: {
  namespace: string;
  replicas?: number;
  image?: string;
  deadline?: number;
  labels?: string;
}): string {
  const replicas = input.replicas ?? 2;
  const image = input.image ?? "ghcr.io/example/web:1.0.0";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${input.namespace}
  labels: {app: web}
spec:
  replicas: ${replicas}
  progressDeadlineSeconds: ${input.deadline ?? 30}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: ${input.labels ?? "web"}}
    spec:
      containers:
      - name: app
        image: ${image}
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet: {path: /healthz, port: 8080}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${input.namespace}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: ${input.namespace}
spec:
  rules:
  - host: pr-1.preview.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
`;
}
